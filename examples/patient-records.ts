// A patient-records service on DynamoDB: every PHI attribute encrypted and the item signed
// on the client with @phiseal/dynamodb, and patients found by medical record number (MRN)
// through a searchable beacon — without the MRN ever being stored in the clear.
//
//   pnpm exec tsx examples/patient-records.ts        (embedded default, or real AWS: see README)
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createEnvelope } from '@phiseal/core';
import { encryptedTable, type BeaconKeyStore, type EncryptedTable } from '@phiseal/dynamodb';
import type { Environment } from './support/embedded.js';
import { assertNoPlaintext, inspectStored, type ExampleReport } from './support/report.js';
import { createTable, deleteTable, exampleName } from './support/resources.js';
import { isMain, runStandalone } from './support/standalone.js';

type Patient = { patientId: string; clinicId: string; name: string; dateOfBirth: string; mrn: string; diagnosis: string };

const patients: Omit<Patient, 'patientId'>[] = [
  { clinicId: 'clinic-a', name: 'Jane Doe', dateOfBirth: '1984-03-12', mrn: 'MRN-448812', diagnosis: 'Type 2 diabetes' },
  { clinicId: 'clinic-a', name: 'John Roe', dateOfBirth: '1971-11-02', mrn: 'MRN-551027', diagnosis: 'Hypertension' },
  { clinicId: 'clinic-b', name: 'Mary Major', dateOfBirth: '1990-07-23', mrn: 'MRN-602211', diagnosis: 'Asthma' },
];

/** The service: the only code that knows the table is encrypted is this constructor. */
function patientStore(table: EncryptedTable) {
  return {
    admit: async (p: Omit<Patient, 'patientId'>): Promise<string> => {
      // A random id, not the MRN: key values are stored in the clear (the guard would refuse an MRN).
      const patientId = randomUUID();
      await table.put({ patientId, ...p });
      return patientId;
    },
    get: (patientId: string) => table.get({ patientId }) as Promise<Patient | undefined>,
    findByMrn: (mrn: string) => table.queryByBeacon('mrn', mrn, { index: 'by-mrn' }) as Promise<Patient[]>,
    addAllergy: (patientId: string, allergy: string) => table.update({ patientId }, { allergy }),
  };
}

export async function run(env: Environment): Promise<ExampleReport> {
  const ddb = new DynamoDBClient(env.aws);
  const tableName = exampleName('patients');
  await createTable(ddb, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'patientId', AttributeType: 'S' },
      { AttributeName: 'aws_dbe_b_mrn', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'patientId', KeyType: 'HASH' }],
    // The beacon attribute the DB-ESDK format writes for the standard beacon `mrn`, indexed for lookups.
    GlobalSecondaryIndexes: [{ IndexName: 'by-mrn', KeySchema: [{ AttributeName: 'aws_dbe_b_mrn', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  });
  env.log(`created table ${tableName} with index by-mrn on the MRN beacon`);
  const envelope = createEnvelope({ keys: env.keys });
  try {
    // Beacon keys come from an AWS branch key store (createKeyStore from @phiseal/keystore,
    // the same table Java services read). This self-contained example holds one beacon key in
    // memory instead, so that it runs without a key store table.
    const beaconKey = randomBytes(32);
    const keyStore: BeaconKeyStore = { getBeaconKey: () => Promise.resolve({ key: beaconKey }) };
    const store = patientStore(
      encryptedTable({
        tableName,
        partitionKey: 'patientId',
        actions: { clinicId: 'sign' }, // readable for filters, tamper-evident; everything else encrypted
        beacons: { standard: [{ name: 'mrn', length: 16 }], keyStore, keySource: { single: { keyId: 'patients-beacons' } } },
        envelope,
        client: DynamoDBDocumentClient.from(ddb),
      }),
    );

    const ids: string[] = [];
    for (const p of patients) ids.push(await store.admit(p));
    const janeId = ids[0]!;
    env.log(`admitted ${ids.length} patients (name, date of birth, MRN and diagnosis encrypted)`);

    const [found, ...others] = await store.findByMrn('MRN-448812');
    if (!found || others.length > 0 || found.patientId !== janeId) throw new Error('beacon lookup by MRN failed');
    env.log(`found MRN-448812 through the beacon index: patient ${found.patientId} (${found.name})`);

    await store.addAllergy(janeId, 'penicillin');
    const updated = await store.get(janeId);
    if ((updated as Record<string, unknown> | undefined)?.['allergy'] !== 'penicillin') throw new Error('update failed');
    env.log('recorded an allergy with a versioned read-modify-write');

    // What DynamoDB holds, read with a plain client.
    const phiValues = patients.flatMap((p) => [p.name, p.dateOfBirth, p.mrn, p.diagnosis]).concat('penicillin');
    const stored = [];
    for (const [i, patientId] of ids.entries()) {
      const raw = (await ddb.send(new GetItemCommand({ TableName: tableName, Key: { patientId: { S: patientId } } }))).Item ?? {};
      const name = raw['name']?.B ?? new Uint8Array();
      stored.push(inspectStored({ service: 'DynamoDB', location: `${tableName} patientId=${patientId.slice(0, 8)}…`, what: 'attribute name' }, name, phiValues));
      // And the whole item, every attribute, as text: no PHI value may appear anywhere.
      const whole = inspectStored({ service: 'DynamoDB', location: `${tableName} item ${i + 1}`, what: 'whole item' }, JSON.stringify(raw, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)), phiValues);
      if (whole.plaintextFound) stored.push(whole);
    }
    return assertNoPlaintext({ example: 'patient-records', stored, phiValuesChecked: phiValues.length });
  } finally {
    envelope.destroy();
    await deleteTable(ddb, tableName);
  }
}

if (isMain(import.meta.url)) await runStandalone(run);
