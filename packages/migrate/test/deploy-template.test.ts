// The deploy template (packages/migrate/deploy/template.json): parsed and checked for what
// a reviewer would check by hand: every parameter used, every IAM action on the list of
// what the handler, the Batch Operations job and the state machine need and scoped to the
// resources they touch, the state machine's graph closed and its Retry on the handler's
// retryable error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RETRYABLE_ERROR_NAME } from '../src/distributed-map/retryable-error.js';
import { LAMBDA_ENVIRONMENT } from '../src/lambda/lambda-handler-from-environment.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const template = JSON.parse(readFileSync(new URL('../deploy/template.json', import.meta.url), 'utf8')) as Record<string, Record<string, Json>>;
const resources = template['Resources'] as Record<string, { Type: string; Condition?: string; Properties: Record<string, Json> }>;

function* walk(node: Json): Generator<Json> {
  yield node;
  if (Array.isArray(node)) for (const child of node) yield* walk(child);
  else if (node !== null && typeof node === 'object') for (const child of Object.values(node)) yield* walk(child);
}
const objects = (node: Json) => [...walk(node)].filter((n): n is { [key: string]: Json } => n !== null && typeof n === 'object' && !Array.isArray(n));
const subNames = (text: string) => [...text.matchAll(/\$\{([A-Za-z0-9:.]+)\}/g)].map((m) => m[1]!.split('.')[0]!);

// What each role may do: the handler reads and rewrites objects and items and uses the key;
// the job and the state machine only invoke it, read manifests and write reports.
const ALLOWED: Record<string, ReadonlySet<string>> = {
  HandlerRole: new Set([
    'logs:CreateLogStream', 'logs:PutLogEvents', 'kms:GenerateDataKey', 'kms:Decrypt',
    's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListBucket',
    's3:GetObjectRetention', 's3:GetObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectLegalHold',
    'dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:PutItem',
  ]),
  BatchOperationsRole: new Set(['lambda:InvokeFunction', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject']),
  StateMachineRole: new Set([
    'lambda:InvokeFunction', 's3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload',
    'states:StartExecution', 'states:DescribeExecution', 'states:StopExecution',
  ]),
};

type Statement = { Effect: string; Action: string | string[]; Resource: Json; Condition?: Json };
const statements = (role: string): Statement[] =>
  objects(resources[role]!.Properties['Policies']!).filter((o): o is Statement & { [key: string]: Json } => 'Effect' in o && 'Action' in o && 'Resource' in o);
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('deploy template', () => {
  it('uses every parameter it declares', () => {
    const used = new Set<string>();
    for (const node of objects(template)) {
      if (typeof node['Ref'] === 'string') used.add(node['Ref']);
      const sub = node['Fn::Sub'];
      if (typeof sub === 'string') subNames(sub).forEach((n) => used.add(n));
    }
    for (const name of Object.keys(template['Parameters']!)) expect(used.has(name), name).toBe(true);
  });

  it('grants each role only the actions on its list, never on *', () => {
    for (const role of Object.keys(ALLOWED)) {
      const list = statements(role);
      expect(list.length, role).toBeGreaterThan(0);
      for (const s of list) {
        expect(s.Effect).toBe('Allow');
        for (const action of actionsOf(s)) expect(ALLOWED[role]!.has(action), `${role} ${action}`).toBe(true);
        expect(JSON.stringify(s.Resource)).not.toMatch(/"\*"|:\*"|arn:aws:/);
      }
    }
  });

  it('scopes the handler to the key, the bucket prefix and the table', () => {
    for (const s of statements('HandlerRole')) {
      const actions = actionsOf(s);
      const resource = JSON.stringify(s.Resource);
      // Client-side data keys: the phiseal key only. SSE-KMS: the bucket's key, and only through S3.
      if (actions.some((a) => a.startsWith('kms:'))) {
        if (s.Condition === undefined) expect(s.Resource).toEqual({ Ref: 'KmsKeyArn' });
        else {
          expect(s.Resource).toEqual({ Ref: 'SseKmsKeyArn' });
          expect(s.Condition).toEqual({ StringEquals: { 'kms:ViaService': { 'Fn::Sub': 's3.${AWS::Region}.amazonaws.com' } } });
        }
      }
      if (actions.some((a) => a.startsWith('s3:') && a !== 's3:ListBucket')) expect(resource).toContain(':s3:::${DataBucketName}/${DataPrefix}*');
      if (actions.includes('s3:ListBucket')) expect(s.Condition).toEqual({ StringLike: { 's3:prefix': { 'Fn::Sub': '${DataPrefix}*' } } });
      if (actions.some((a) => a.startsWith('dynamodb:'))) expect(resource).toContain(':table/${TableName}');
      if (actions.some((a) => a.startsWith('logs:'))) expect(s.Resource).toEqual({ 'Fn::GetAtt': ['HandlerLogGroup', 'Arn'] });
    }
    // Nothing that deletes or changes access.
    const all = statements('HandlerRole').flatMap(actionsOf);
    expect(all.filter((a) => /Delete|Acl|Policy|Encrypt$|ReEncrypt|CreateGrant/.test(a))).toEqual([]);
  });

  it('lets only the services that need them assume the roles', () => {
    const principal = (role: string) => JSON.stringify(resources[role]!.Properties['AssumeRolePolicyDocument']);
    expect(principal('HandlerRole')).toContain('"lambda.amazonaws.com"');
    expect(principal('BatchOperationsRole')).toContain('"batchoperations.s3.amazonaws.com"');
    expect(principal('StateMachineRole')).toContain('"states.amazonaws.com"');
  });

  it('deploys the handler on a current Node.js runtime with a bounded fleet', () => {
    const fn = resources['Handler']!.Properties;
    expect(['nodejs20.x', 'nodejs22.x']).toContain(fn['Runtime']);
    expect(fn['Timeout']).toBeLessThanOrEqual(900);
    expect(fn['ReservedConcurrentExecutions']).toEqual({ Ref: 'LambdaConcurrency' });
    expect(JSON.stringify(template['Outputs'])).toContain('\\"InvocationSchemaVersion\\":\\"2.0\\"');
    // The variables the template sets are the ones the entry point reads.
    const variables = Object.keys((fn['Environment'] as { Variables: Record<string, Json> }).Variables).sort();
    expect(variables).toEqual(Object.values(LAMBDA_ENVIRONMENT).sort());
  });

  describe('state machine', () => {
    const props = resources['StateMachine']!.Properties;
    const definition = props['Definition'] as { StartAt: string; States: Record<string, Json> };
    const substitutions = Object.keys(props['DefinitionSubstitutions'] as object);

    it('substitutes exactly the placeholders it uses', () => {
      const used = new Set(subNames(JSON.stringify(definition)));
      expect([...used].sort()).toEqual([...substitutions].sort());
    });

    it('has a closed graph in every scope', () => {
      const check = (scope: { StartAt: string; States: Record<string, Json> }) => {
        expect(Object.keys(scope.States)).toContain(scope.StartAt);
        for (const [name, state] of Object.entries(scope.States) as [string, Record<string, Json>][]) {
          const { ItemProcessor: _inner, ...own } = state;
          const targets = objects(own).flatMap((o) => (typeof o['Next'] === 'string' ? [o['Next']] : typeof o['Default'] === 'string' ? [o['Default']] : []));
          for (const target of targets) expect(Object.keys(scope.States), `${name} -> ${target}`).toContain(target);
          const terminal = state['End'] === true || ['Succeed', 'Fail', 'Choice'].includes(state['Type'] as string);
          expect(terminal || typeof state['Next'] === 'string', name).toBe(true);
          const processor = state['ItemProcessor'] as { StartAt: string; States: Record<string, Json> } | undefined;
          if (processor) check(processor);
        }
      };
      check(definition);
    });

    it('retries the handler on its retryable error and batches inventory rows as URL-encoded keys', () => {
      const tasks = objects(definition as unknown as Json).filter((o) => o['Resource'] === 'arn:aws:states:::lambda:invoke');
      expect(tasks).toHaveLength(2);
      for (const task of tasks) {
        expect(JSON.stringify(task['Retry'])).toContain(`"${RETRYABLE_ERROR_NAME}"`);
        expect(JSON.stringify(task['Parameters'])).toContain('${HandlerArn}');
      }
      const inventory = definition.States['EncryptInventory'] as Record<string, Record<string, Json>>;
      expect(inventory['ItemReader']!['ReaderConfig']).toEqual({ InputType: 'MANIFEST' });
      expect(inventory['ItemBatcher']!['BatchInput']).toEqual({ keyEncoding: 'url' });
      for (const map of ['EncryptInventory', 'EncryptTable']) {
        expect((definition.States[map] as Record<string, Json>)['MaxConcurrencyPath']).toBe('$.maxConcurrency');
      }
    });
  });
});
