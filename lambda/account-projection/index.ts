/**
 * Lambda entry point: started by the organization's account events (forwarded from the management
 * account's us-east-1 event bus) and by a daily schedule; each start syncs the whole projection,
 * whatever the event says. The AWS SDK v3 is the one the Node.js runtime provides.
 */
import { GlueClient } from '@aws-sdk/client-glue';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { syncAccountProjection, type SyncResult } from './sync';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`the function's environment lacks ${name}`);
  return value;
}

// Organizations has one endpoint, in us-east-1, whatever the function's region.
const organizations = new OrganizationsClient({ region: 'us-east-1' });
const glue = new GlueClient({});

export const handler = async (event: { readonly 'detail-type'?: string; readonly detail?: { readonly eventName?: string } }): Promise<SyncResult> => {
  const result = await syncAccountProjection(
    { organizations, glue },
    { catalogId: setting('CATALOG_ID'), databaseName: setting('DATABASE_NAME'), tableName: setting('TABLE_NAME'), parameter: setting('ACCOUNT_PARAMETER') },
  );
  const cause = event.detail?.eventName ?? event['detail-type'] ?? 'invocation';
  console.log(JSON.stringify({ cause, added: result.added, projected: result.projected.length }));
  return result;
};
