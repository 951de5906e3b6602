import { loadEnvironment } from './environments';
import { recoveryBudget } from './recovery-budget';

describe('the recovery budget of prod (seed: failover < 2 minutes)', () => {
  const budget = recoveryBudget(loadEnvironment('prod').recovery);

  it("moves traffic off a lost region in 90 s: 10 s checks x 3 failures + the seed's 60 s TTL", () => {
    expect(budget).toMatchObject({ detectionSeconds: 30, dnsSeconds: 60, trafficSeconds: 90, targetSeconds: 120, trafficWithinTarget: true });
  });

  it('does not claim the 2 minutes for writes when the writer region is lost: 30 s + 300 s on call + 60 s promotion', () => {
    expect(budget.writesSeconds).toBe(390);
    expect(budget.writesWithinTarget).toBe(false);
  });

  it('counts every term once: a slower promotion or a longer TTL lengthens only its own path', () => {
    const base = loadEnvironment('prod').recovery;
    expect(recoveryBudget({ ...base, databasePromotionSeconds: 120 })).toMatchObject({ trafficSeconds: 90, writesSeconds: 450 });
    expect(recoveryBudget({ ...base, dnsTtlSeconds: 30 })).toMatchObject({ trafficSeconds: 60, writesSeconds: 390 });
  });

  it('counts a budget that lands exactly on the target as within it, and one second over as not', () => {
    const base = loadEnvironment('prod').recovery;
    // 10 s x 3 + 90 s TTL = 120 s = the target; 30 + 300 + 60 = 390 s of writes against a 390 s target.
    expect(recoveryBudget({ ...base, dnsTtlSeconds: 90 })).toMatchObject({ trafficSeconds: 120, trafficWithinTarget: true });
    expect(recoveryBudget({ ...base, dnsTtlSeconds: 91 })).toMatchObject({ trafficSeconds: 121, trafficWithinTarget: false });
    expect(recoveryBudget({ ...base, failoverTargetSeconds: 390 })).toMatchObject({ writesSeconds: 390, writesWithinTarget: true });
    expect(recoveryBudget({ ...base, failoverTargetSeconds: 389 })).toMatchObject({ writesWithinTarget: false });
  });
});
