// Test helper: validates ClickHouse's manifests as the API server would, before any cluster sees
// them. Kubernetes kinds through kubernetes-models' schemas; the operator's kinds through the CRD
// schemas vendored in crd-schemas/ (see their $comment for the tag and commit), closed the way the
// API server treats them: a field a structural schema does not declare is pruned silently there,
// so it is an error here. kubernetes-models checks types, enums and required fields but lets
// unknown fields through; the specs assert the fields that matter by value.
import Ajv from 'ajv';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import chiSchema from './crd-schemas/clickhouse-installation.v1.schema.json';
import chkSchema from './crd-schemas/clickhouse-keeper-installation.v1.schema.json';
import type { Manifest } from './clickhouse-manifests';

type Schema = { [key: string]: unknown };

/** Adds `additionalProperties: false` wherever an object declares properties and does not preserve unknown fields. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: Schema = Object.fromEntries(Object.entries(schema as Schema).map(([k, v]) => [k, k === 'enum' || k === 'required' ? v : closed(v)]));
  if (copy['properties'] && !copy['x-kubernetes-preserve-unknown-fields'] && copy['additionalProperties'] === undefined)
    copy['additionalProperties'] = false;
  return copy;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const crdValidators = {
  ClickHouseInstallation: ajv.compile(closed(chiSchema) as Schema),
  ClickHouseKeeperInstallation: ajv.compile(closed(chkSchema) as Schema),
};

type PodTemplate = { name: string; spec: object };
const models: Record<string, new (data: never) => { validate(): void }> = {
  Certificate,
  CronJob,
  NetworkPolicy,
  StorageClass,
  ServiceAccount,
};

/** Throws with every problem of one manifest, naming its kind and name. */
export function validateManifest(manifest: Manifest): void {
  const where = `${manifest.kind}/${manifest.metadata.name}`;
  const crd = crdValidators[manifest.kind as keyof typeof crdValidators];
  if (crd) {
    if (!crd(manifest))
      throw new Error(`${where}: ${(crd.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join('; ')}`);
    // Pod templates are preserve-unknown-fields in the CRD: check them as the pods they become.
    const templates = (manifest['spec'] as { templates?: { podTemplates?: PodTemplate[] } }).templates?.podTemplates ?? [];
    for (const template of templates) new Pod({ metadata: { name: template.name }, spec: template.spec } as never).validate();
    return;
  }
  const Model = models[manifest.kind];
  if (!Model) throw new Error(`${where}: no schema to validate this kind against; add it to validate-manifests.testing.ts`);
  try {
    new Model(manifest as never).validate();
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
}
