import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface DnsValidatedCertificateProps {
  /** The names the certificate covers, the first as its subject. */
  readonly domainNames: readonly string[];
  /** Public zone the validation record goes into (the foundation's). */
  readonly hostedZoneId: string;
  /** @default the stack's default provider (the certificate's region) */
  readonly provider?: TerraformProvider;
}

/**
 * An ACM certificate validated by DNS records in the platform's zone (all names must be in it).
 * Users take `certificateArn`, the validation's output, so nothing attaches it before it is issued.
 */
export class DnsValidatedCertificate extends Construct {
  readonly certificate: AcmCertificate;
  /** The ARN once issued: reference this, not `certificate.arn`. */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const provider = props.provider;
    const [subject, ...alternatives] = props.domainNames;
    if (!subject || new Set(props.domainNames).size !== props.domainNames.length || props.domainNames.some((n) => n.startsWith('*'))) {
      throw new Error(
        `certificate [${props.domainNames.join(', ')}]: expected one or more distinct names without wildcards; fix: list each name once (a wildcard shares its apex's validation record, which this construct does not handle)`,
      );
    }
    this.certificate = new AcmCertificate(this, 'certificate', {
      domainName: subject,
      subjectAlternativeNames: alternatives.length ? alternatives : undefined,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      lifecycle: { createBeforeDestroy: true },
      provider,
    });
    // One validation option per distinct name (a set in the provider, read through tolist); which
    // option lands in which record does not matter, only that each gets one.
    const records = props.domainNames.map((_, i) => {
      const option = this.certificate.domainValidationOptions.get(i);
      return new Route53Record(this, `validation-record-${i}`, {
        zoneId: props.hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 60,
        // ACM uses one validation record per name and account: other certificates share it.
        allowOverwrite: true,
        provider,
      });
    });
    const validation = new AcmCertificateValidation(this, 'validation', {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: records.map((r) => r.fqdn),
      provider,
    });
    this.certificateArn = validation.certificateArn;
  }
}
