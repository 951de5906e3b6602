// A local stand-in for the one AWS call an offline plan of this platform makes: Secrets Manager's
// GetRandomPassword, which `aws_secretsmanager_random_password` (libs/secrets) reads on every plan.
// Offline plans point the provider's `secretsmanager` endpoint here (offline-plan.ts). It answers a
// deterministic, clearly fake password of the length and alphabet asked for, and refuses every
// other operation by name, so a new plan-time call fails the plan instead of being guessed at.
// Usage: node aws-plan-stand-in.cjs <port-file>; writes its port there, exits with its parent.
'use strict';
const http = require('node:http');
const { writeFileSync } = require('node:fs');

const portFile = process.argv[2];
if (!portFile) {
  console.error('usage: aws-plan-stand-in.cjs <port-file>');
  process.exit(2);
}

/** Letters and digits (the platform asks for no punctuation and no spaces), repeated to the length asked. */
function fakePassword(request) {
  const length = Number(request.PasswordLength ?? 32);
  const alphabet = request.ExcludeNumbers ? 'offlineStandInPassword' : 'offlineStandInPassword0123456789';
  return Array.from({ length }, (_, i) => alphabet[i % alphabet.length]).join('');
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] ?? '');
    res.setHeader('Content-Type', 'application/x-amz-json-1.1');
    if (target === 'secretsmanager.GetRandomPassword') {
      let request = {};
      try {
        request = JSON.parse(body || '{}');
      } catch {
        // An unreadable body gets the default length, as AWS would refuse it; the plan only needs a value.
      }
      res.end(JSON.stringify({ RandomPassword: fakePassword(request) }));
      return;
    }
    res.statusCode = 400;
    res.end(
      JSON.stringify({
        __type: 'UnknownOperationException',
        message: `offline AWS stand-in (packages/terraform-check/src/aws-plan-stand-in.cjs) answers only secretsmanager.GetRandomPassword; the plan called ${target || `${req.method} ${req.url}`}`,
      }),
    );
  });
});

server.listen(0, '127.0.0.1', () => writeFileSync(portFile, String(server.address().port)));
// Exits with its parent: the parent keeps a pipe to stdin open for as long as it lives.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
