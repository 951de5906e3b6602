import { writeFileSync } from 'node:fs';
import { globalDashboardJson } from './global-dashboard';
import { DASHBOARD_FILES } from './grafana-release';

// Regenerates the committed dashboard JSON from its TypeScript (`npx nx run monitoring:dashboards`).
writeFileSync(DASHBOARD_FILES.global, globalDashboardJson());
console.log(`wrote ${DASHBOARD_FILES.global}`);
