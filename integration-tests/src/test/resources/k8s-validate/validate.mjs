// Offline validation of Postgate's Kubernetes manifests (deploy/k8s), run by DeploymentConfigTest.
//
//   node validate.mjs REPO_ROOT [KUSTOMIZATION_DIR=RENDERED.yaml ...]
//
// 1. Reads every YAML file under deploy/k8s; each must parse, and each that is not a
//    kustomization.yaml must be used by one (as a resource or a patch).
// 2. Renders every kustomization the way kustomize does for the features used here (resources,
//    namespace, images, strategic-merge and JSON 6902 patches) and validates each resulting
//    object: core Kubernetes kinds against the API schemas of the kubernetes-models package
//    (types, required fields, enums) plus a check for unknown fields (as kubectl's
//    --validate=strict would); the Strimzi and CloudNativePG kinds, whose CRDs are not available
//    offline, on the fields Postgate relies on (KafkaTopic, KafkaUser, Cluster).
// 3. Validates the same way each RENDERED.yaml given (the output of `kubectl kustomize DIR`, when
//    kubectl is installed) and compares it with this script's rendering of DIR, so the renderer
//    here cannot hide a difference.
//
// Prints one line per problem and exits 1 if there is any, else prints a summary and exits 0.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.join(here, 'node_modules');

const root = path.resolve(process.argv[2] ?? '.');
const renderedFiles = process.argv.slice(3);
const k8sDir = path.join(root, 'deploy', 'k8s');
const errors = [];
const error = (where, message) => errors.push(`${where}: ${message}`);
const rel = (file) => path.relative(root, file);

// ---------------------------------------------------------------------------------- reading

function yamlFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

const parsedFiles = new Map();
function readYaml(file) {
  if (parsedFiles.has(file)) return parsedFiles.get(file);
  let docs = [];
  try {
    const parsed = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
    for (const doc of parsed) {
      for (const e of [...doc.errors, ...doc.warnings]) error(rel(file), `YAML: ${e.message.split('\n')[0]}`);
      const value = doc.toJS();
      if (value !== null && value !== undefined) docs.push(value);
    }
  } catch (e) {
    error(rel(file), `cannot read: ${e.message}`);
    docs = [];
  }
  parsedFiles.set(file, docs);
  return docs;
}

// -------------------------------------------------------------------------------- rendering

const KUSTOMIZATION_KEYS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);
const usedFiles = new Set();

function render(dir) {
  const file = path.join(dir, 'kustomization.yaml');
  usedFiles.add(file);
  const [k] = readYaml(file);
  if (!k) {
    error(rel(file), 'empty or missing kustomization');
    return [];
  }
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || k.kind !== 'Kustomization') {
    error(rel(file), `expected apiVersion kustomize.config.k8s.io/v1beta1 and kind Kustomization, got ${k.apiVersion} ${k.kind}`);
  }
  for (const key of Object.keys(k)) {
    if (!KUSTOMIZATION_KEYS.has(key)) error(rel(file), `field ${key} is not one this renderer supports (${[...KUSTOMIZATION_KEYS].join(', ')})`);
  }
  let objects = [];
  for (const entry of k.resources ?? []) {
    const target = path.resolve(dir, entry);
    if (fs.existsSync(path.join(target, 'kustomization.yaml'))) {
      objects.push(...render(target));
    } else if (fs.existsSync(target) && fs.statSync(target).isFile()) {
      usedFiles.add(target);
      objects.push(...readYaml(target).map((o) => ({ ...structuredClone(o), __source: rel(target) })));
    } else {
      error(rel(file), `resource ${entry} does not exist`);
    }
  }
  for (const patch of k.patches ?? []) objects = applyPatch(objects, patch, dir, file);
  for (const image of k.images ?? []) applyImage(objects, image, file);
  if (k.namespace) {
    for (const o of objects) o.metadata = { ...(o.metadata ?? {}), namespace: k.namespace };
  }
  return objects;
}

function groupOf(apiVersion) {
  return apiVersion && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

function matches(object, target) {
  if (target.kind && object.kind !== target.kind) return false;
  if (target.name && object.metadata?.name !== target.name) return false;
  if (target.group !== undefined && groupOf(object.apiVersion) !== target.group) return false;
  if (target.version && !String(object.apiVersion).endsWith(target.version)) return false;
  return true;
}

function applyPatch(objects, patch, dir, file) {
  let body;
  let where = rel(file);
  if (patch.path) {
    const patchFile = path.resolve(dir, patch.path);
    usedFiles.add(patchFile);
    where = rel(patchFile);
    if (!fs.existsSync(patchFile)) {
      error(rel(file), `patch ${patch.path} does not exist`);
      return objects;
    }
    body = fs.readFileSync(patchFile, 'utf8');
  } else if (typeof patch.patch === 'string') {
    body = patch.patch;
  } else {
    error(rel(file), 'a patch needs path or patch');
    return objects;
  }
  const parsed = YAML.parse(body);
  if (Array.isArray(parsed)) {
    // JSON 6902: needs a target.
    if (!patch.target) {
      error(where, 'a JSON 6902 patch needs a target');
      return objects;
    }
    const hits = objects.filter((o) => matches(o, patch.target));
    if (hits.length === 0) error(where, `patch target ${JSON.stringify(patch.target)} matches no resource`);
    for (const o of hits) for (const op of parsed) applyJsonPatchOp(o, op, where);
    return objects;
  }
  // Strategic merge patch: its own apiVersion/kind/metadata.name select the target.
  const target = patch.target ?? { kind: parsed.kind, name: parsed.metadata?.name, group: groupOf(parsed.apiVersion) };
  const hits = objects.filter((o) => matches(o, target));
  if (hits.length === 0) error(where, `patch target ${parsed.kind}/${parsed.metadata?.name} matches no resource`);
  return objects.map((o) => (hits.includes(o) ? strategicMerge(o, parsed, where) : o));
}

function strategicMerge(base, patch, where) {
  if (Array.isArray(patch)) {
    if (Array.isArray(base) && patch.every((p) => p && typeof p === 'object' && 'name' in p)
        && base.every((b) => b && typeof b === 'object' && 'name' in b)) {
      // Lists of named items (containers, env, ports, volumes...) merge by name.
      const merged = base.map((b) => {
        const p = patch.find((x) => x.name === b.name);
        return p ? strategicMerge(b, p, where) : b;
      });
      return [...merged, ...patch.filter((p) => !base.some((b) => b.name === p.name))];
    }
    return structuredClone(patch);
  }
  if (patch && typeof patch === 'object') {
    if ('$patch' in patch) error(where, '$patch directives are not supported by this renderer');
    const out = base && typeof base === 'object' && !Array.isArray(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = strategicMerge(out[key], value, where);
    }
    return out;
  }
  return patch;
}

function applyJsonPatchOp(object, op, where) {
  const parts = String(op.path).split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop();
  let node = object;
  for (const part of parts) {
    node = Array.isArray(node) ? node[Number(part)] : node?.[part];
    if (node === undefined) {
      error(where, `JSON patch path ${op.path} does not exist in ${object.kind}/${object.metadata?.name}`);
      return;
    }
  }
  if (op.op === 'add' || op.op === 'replace') {
    if (op.op === 'replace' && !(last in node)) error(where, `JSON patch replaces missing ${op.path}`);
    if (Array.isArray(node)) {
      if (last === '-') node.push(op.value);
      else if (op.op === 'add') node.splice(Number(last), 0, op.value);
      else node[Number(last)] = op.value;
    } else {
      node[last] = op.value;
    }
  } else if (op.op === 'remove') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else {
    error(where, `JSON patch op ${op.op} is not supported by this renderer`);
  }
}

function containersOf(object) {
  const spec = object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec;
  return spec ? [...(spec.containers ?? []), ...(spec.initContainers ?? [])] : [];
}

function applyImage(objects, image, file) {
  let used = false;
  for (const o of objects) {
    for (const c of containersOf(o)) {
      const name = String(c.image ?? '').replace(/[:@].*$/, '');
      if (name !== image.name) continue;
      used = true;
      const tag = image.digest ? `@${image.digest}` : image.newTag ? `:${image.newTag}` : (String(c.image).match(/[:@].*$/)?.[0] ?? '');
      c.image = `${image.newName ?? name}${tag}`;
    }
  }
  // kustomize ignores an image entry that matches nothing: a typo would deploy the default image.
  if (!used) error(rel(file), `images entry ${image.name} matches no container image`);
}

// ------------------------------------------------------------------------------- validation

/** Unknown fields: walks the object along the TypeScript declarations of kubernetes-models. */
const declarations = new Map();
function declaration(file) {
  if (declarations.has(file)) return declarations.get(file);
  let result = null;
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const imports = new Map();
    for (const m of text.matchAll(/import \{ ([^}]+) \} from "([^"]+)";/g)) {
      const target = m[2].startsWith('.') ? path.resolve(path.dirname(file), `${m[2]}.d.ts`) : path.join(nodeModules, `${m[2]}.d.ts`);
      for (const name of m[1].split(',').map((s) => s.trim())) imports.set(name, target);
    }
    const block = text.match(/^export interface \w+(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/m);
    if (block) {
      const props = new Map();
      for (const m of block[1].matchAll(/^ {4}"([^"]+)"\??: (.*)$/gm)) props.set(m[1], m[2].replace(/;$/, ''));
      result = { props, imports };
    }
  }
  declarations.set(file, result);
  return result;
}

function checkFields(value, file, where, problems) {
  const decl = declaration(file);
  if (!decl || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (!decl.props.has(key)) {
      problems.push(`${where}.${key}: unknown field`);
      continue;
    }
    const type = decl.props.get(key);
    const single = type.match(/^(I\w+)$/);
    const list = type.match(/^Array<(I\w+)>$/);
    if (single && decl.imports.has(single[1])) {
      checkFields(child, decl.imports.get(single[1]), `${where}.${key}`, problems);
    } else if (list && decl.imports.has(list[1]) && Array.isArray(child)) {
      child.forEach((item, i) => checkFields(item, decl.imports.get(list[1]), `${where}.${key}[${i}]`, problems));
    }
  }
}

function coreModel(apiVersion, kind) {
  const group = groupOf(apiVersion);
  if (group.includes('.') && !group.endsWith('.k8s.io')) return null;
  const modulePath = `kubernetes-models/${apiVersion}`;
  try {
    const module = require(modulePath);
    if (!module[kind]) return null;
    return { Model: module[kind], declarations: path.join(nodeModules, modulePath, `${kind}.d.ts`) };
  } catch {
    return null;
  }
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/;
const isInt = (v, min = 0) => Number.isInteger(v) && v >= min;

function checkKeys(object, allowed, where, problems) {
  for (const key of Object.keys(object ?? {})) if (!allowed.includes(key)) problems.push(`${where}.${key}: unknown field`);
}

/** Strimzi KafkaTopic: the fields Postgate relies on (the CRD schema is not available offline). */
function validateKafkaTopic(o, problems) {
  if (o.apiVersion !== 'kafka.strimzi.io/v1beta2' && o.apiVersion !== 'kafka.strimzi.io/v1') problems.push(`apiVersion ${o.apiVersion} is not a Strimzi KafkaTopic version`);
  if (!o.metadata?.labels?.['strimzi.io/cluster']) problems.push('metadata.labels.strimzi.io/cluster is missing (the Topic Operator ignores the topic)');
  checkKeys(o.spec, ['topicName', 'partitions', 'replicas', 'config'], 'spec', problems);
  if (!isInt(o.spec?.partitions, 1)) problems.push('spec.partitions must be an integer >= 1');
  if (!isInt(o.spec?.replicas, 1)) problems.push('spec.replicas must be an integer >= 1');
  for (const [key, value] of Object.entries(o.spec?.config ?? {})) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) problems.push(`spec.config.${key} must be a string, number or boolean`);
  }
  const minIsr = Number(o.spec?.config?.['min.insync.replicas'] ?? 1);
  if (minIsr > o.spec?.replicas) problems.push('spec.config.min.insync.replicas exceeds spec.replicas: no write could succeed');
}

/** Strimzi KafkaUser: the fields Postgate relies on (the CRD schema is not available offline). */
const ACL_OPERATIONS = ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction', 'AlterConfigs',
  'DescribeConfigs', 'IdempotentWrite', 'All'];
function validateKafkaUser(o, problems) {
  if (o.apiVersion !== 'kafka.strimzi.io/v1beta2' && o.apiVersion !== 'kafka.strimzi.io/v1') problems.push(`apiVersion ${o.apiVersion} is not a Strimzi KafkaUser version`);
  if (!o.metadata?.labels?.['strimzi.io/cluster']) problems.push('metadata.labels.strimzi.io/cluster is missing (the User Operator ignores the user)');
  checkKeys(o.spec, ['authentication', 'authorization', 'quotas', 'template'], 'spec', problems);
  const authentication = o.spec?.authentication;
  checkKeys(authentication, ['type', 'password'], 'spec.authentication', problems);
  if (!['scram-sha-512', 'tls', 'tls-external'].includes(authentication?.type)) problems.push('spec.authentication.type must be scram-sha-512, tls or tls-external');
  const authorization = o.spec?.authorization;
  if (authorization) {
    checkKeys(authorization, ['type', 'acls'], 'spec.authorization', problems);
    if (authorization.type !== 'simple') problems.push('spec.authorization.type must be simple');
    (authorization.acls ?? []).forEach((acl, i) => {
      const where = `spec.authorization.acls[${i}]`;
      checkKeys(acl, ['resource', 'type', 'host', 'operations', 'operation'], where, problems);
      checkKeys(acl.resource, ['type', 'name', 'patternType'], `${where}.resource`, problems);
      if (!['topic', 'group', 'cluster', 'transactionalId'].includes(acl.resource?.type)) problems.push(`${where}.resource.type must be topic, group, cluster or transactionalId`);
      if (acl.resource?.type !== 'cluster' && typeof acl.resource?.name !== 'string') problems.push(`${where}.resource.name is required`);
      if (acl.resource?.patternType !== undefined && !['literal', 'prefix'].includes(acl.resource.patternType)) problems.push(`${where}.resource.patternType must be literal or prefix`);
      if (acl.type !== undefined && !['allow', 'deny'].includes(acl.type)) problems.push(`${where}.type must be allow or deny`);
      const operations = acl.operations ?? (acl.operation ? [acl.operation] : []);
      if (!Array.isArray(operations) || operations.length === 0) problems.push(`${where}.operations must list at least one operation`);
      for (const op of Array.isArray(operations) ? operations : []) {
        if (!ACL_OPERATIONS.includes(op)) problems.push(`${where}.operations: ${op} is not a Kafka ACL operation`);
      }
    });
  }
}

/** CloudNativePG Cluster: the fields Postgate relies on (the CRD schema is not available offline). */
function validateCnpgCluster(o, problems) {
  if (o.apiVersion !== 'postgresql.cnpg.io/v1') problems.push(`apiVersion ${o.apiVersion} is not postgresql.cnpg.io/v1`);
  checkKeys(o.spec, ['instances', 'imageName', 'primaryUpdateStrategy', 'postgresql', 'bootstrap', 'storage', 'walStorage',
    'resources', 'affinity', 'monitoring', 'backup', 'description', 'enableSuperuserAccess', 'superuserSecret',
    'minSyncReplicas', 'maxSyncReplicas', 'startDelay', 'stopDelay', 'managed', 'inheritedMetadata'], 'spec', problems);
  if (!isInt(o.spec?.instances, 1)) problems.push('spec.instances must be an integer >= 1');
  if (!QUANTITY.test(String(o.spec?.storage?.size ?? ''))) problems.push('spec.storage.size must be a quantity such as 10Gi');
  const initdb = o.spec?.bootstrap?.initdb;
  if (!initdb || typeof initdb.database !== 'string' || typeof initdb.owner !== 'string') problems.push('spec.bootstrap.initdb.database and .owner are required strings');
  if (initdb) checkKeys(initdb, ['database', 'owner', 'secret', 'encoding', 'localeCollate', 'localeCType', 'dataChecksums', 'postInitSQL', 'postInitApplicationSQL'], 'spec.bootstrap.initdb', problems);
  for (const [key, value] of Object.entries(o.spec?.postgresql?.parameters ?? {})) {
    if (typeof value !== 'string') problems.push(`spec.postgresql.parameters.${key} must be a string`);
  }
  if (o.spec?.resources) {
    const Requirements = require('kubernetes-models/v1').ResourceRequirements;
    try {
      new Requirements(o.spec.resources).validate();
    } catch (e) {
      problems.push(`spec.resources: ${e.message}`);
    }
  }
}

const reported = new Set();
function validateObject(o, where) {
  const problems = [];
  if (!o || typeof o !== 'object' || Array.isArray(o)) {
    error(where, 'not a Kubernetes object');
    return;
  }
  const { __source: source, ...object } = o;
  const label = `${source ?? where}: ${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
  if (!object.apiVersion || !object.kind) problems.push('apiVersion and kind are required');
  if (!object.metadata?.name) problems.push('metadata.name is required');
  else if (!DNS_SUBDOMAIN.test(object.metadata.name) || object.metadata.name.length > 253) problems.push(`metadata.name ${object.metadata.name} is not a DNS subdomain`);
  if (object.kind === 'KafkaTopic') {
    validateKafkaTopic(object, problems);
  } else if (object.kind === 'KafkaUser') {
    validateKafkaUser(object, problems);
  } else if (object.kind === 'Cluster' && groupOf(object.apiVersion) === 'postgresql.cnpg.io') {
    validateCnpgCluster(object, problems);
  } else if (object.apiVersion && object.kind) {
    const model = coreModel(object.apiVersion, object.kind);
    if (!model) {
      problems.push(`no schema for ${object.apiVersion} ${object.kind}: a kind this validator does not know`);
    } else {
      try {
        new model.Model(object).validate();
      } catch (e) {
        const details = e.errors ?? e.details;
        if (Array.isArray(details) && details.length > 0) {
          for (const d of details) problems.push(`${d.instancePath || '/'}: ${d.message}${d.params ? ` ${JSON.stringify(d.params)}` : ''}`);
        } else {
          problems.push(e.message);
        }
      }
      checkFields(object, model.declarations, '', problems);
    }
  }
  // The base's objects appear again in each overlay: report a problem once, naming the first
  // kustomization whose rendering showed it.
  for (const p of problems) {
    if (reported.has(`${label}: ${p}`)) continue;
    reported.add(`${label}: ${p}`);
    error(`${label}${source ? ` [${where}]` : ''}`, p);
  }
  return problems.length === 0;
}

// -------------------------------------------------------------------------------------- run

if (!fs.existsSync(k8sDir)) {
  console.error(`no ${rel(k8sDir)} under ${root}`);
  process.exit(2);
}
const files = yamlFiles(k8sDir);
files.forEach(readYaml);
const kustomizationDirs = files.filter((f) => path.basename(f) === 'kustomization.yaml').map(path.dirname);
let validated = 0;
const seen = new Set();
for (const dir of kustomizationDirs) {
  const objects = render(dir);
  if (objects.length === 0) error(rel(dir), 'renders no resource');
  const ids = new Set();
  for (const o of objects) {
    const id = `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    if (ids.has(id)) error(rel(dir), `${id} is defined twice`);
    ids.add(id);
    const key = JSON.stringify(o);
    if (seen.has(key)) continue;
    seen.add(key);
    validateObject(o, `rendered ${rel(dir)}`);
    validated++;
  }
}
for (const file of files) {
  if (!usedFiles.has(file)) error(rel(file), 'not used by any kustomization.yaml (dead manifest?)');
}
const canonical = (v) => (Array.isArray(v) ? v.map(canonical)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v);
const idOf = (o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
for (const argument of renderedFiles) {
  // DIR=FILE: FILE is kubectl's rendering of the kustomization in DIR (relative to the root).
  const [dir, file] = argument.includes('=') ? argument.split('=') : [null, argument];
  const theirs = readYaml(path.resolve(file));
  for (const o of theirs) {
    validateObject(o, `kubectl kustomize ${dir ?? file}`);
    validated++;
  }
  if (dir) {
    const ours = new Map(render(path.resolve(root, dir)).map(({ __source, ...o }) => [idOf(o), o]));
    for (const o of theirs) {
      const mine = ours.get(idOf(o));
      if (!mine) error(`kubectl kustomize ${dir}`, `${idOf(o)} is not in this renderer's output`);
      else if (JSON.stringify(canonical(mine)) !== JSON.stringify(canonical(o))) {
        error(`kubectl kustomize ${dir}`, `${idOf(o)} differs from this renderer's output:\n  kubectl: ${JSON.stringify(canonical(o))}\n  here:    ${JSON.stringify(canonical(mine))}`);
      }
      ours.delete(idOf(o));
    }
    for (const id of ours.keys()) error(`kubectl kustomize ${dir}`, `${id} is missing from kubectl's output`);
  }
}

if (errors.length > 0) {
  for (const e of new Set(errors)) console.log(`ERROR ${e}`);
  console.log(`${new Set(errors).size} problem(s) in deploy/k8s (${files.length} files, ${validated} objects checked)`);
  process.exit(1);
}
console.log(`deploy/k8s is valid: ${files.length} files, ${kustomizationDirs.length} kustomizations, ${validated} objects checked`
  + (renderedFiles.length ? `, including kubectl's rendering of ${renderedFiles.map((f) => f.split('=')[0]).join(', ')} (identical to this script's)` : ''));
