import { Token } from 'cdktf';

/**
 * Makes plain strings inside a value safe to render into an HCL expression such as
 * `yamlencode({...})`. cdktf escapes `${` and newlines there but not `"`, `\` or `%{` (seen with
 * cdktf 0.21: `Fn.yamlencode({ a: 'q"x' })` renders `"a" = "q"x"`, which Terraform cannot parse),
 * so a Helm value holding a quote (PromQL, XML, a dashboard's JSON, a shell script) would break the
 * whole stack at plan time. Strings carrying tokens (remote-state references) are left to cdktf.
 */
export function hclLiteralSafe<T>(value: T): T {
  if (typeof value === 'string') {
    if (Token.isUnresolved(value)) return value;
    return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%\{/g, '%%{') as T;
  }
  if (Array.isArray(value)) return value.map((v) => hclLiteralSafe(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [hclLiteralSafe(k), hclLiteralSafe(v)])) as T;
  return value;
}
