/**
 * Keeps the trail table's account projection in step with the organization: lists every account
 * of the organization and adds the ids the table's projection parameter lacks, changing
 * nothing else of the table. Ids are only ever added: an account that left the organization keeps
 * its logs in the archive, and they stay queryable.
 *
 * Glue's UpdateTable replaces the whole table definition with the TableInput it is given, so the
 * table is read first and written back whole with the one parameter changed, conditioned on the
 * version that was read (a concurrent change fails the update instead of being overwritten).
 */
import { GetTableCommand, type GlueClient, type Table, type TableInput, UpdateTableCommand } from '@aws-sdk/client-glue';
import { ListAccountsCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';

export interface ProjectedTable {
  /** Account of the Glue Data Catalog. */
  readonly catalogId: string;
  readonly databaseName: string;
  readonly tableName: string;
  /** The parameter listing the projected accounts, comma-separated (`projection.account.values`). */
  readonly parameter: string;
}

export interface SyncResult {
  /** Ids added to the projection by this run (none: the table was left alone). */
  readonly added: readonly string[];
  /** Every id projected after this run. */
  readonly projected: readonly string[];
}

/** Every account id of the organization, whatever its status (ListAccounts, every page). */
export async function organizationAccountIds(organizations: OrganizationsClient): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await organizations.send(new ListAccountsCommand({ NextToken: nextToken }));
    for (const account of page.Accounts ?? []) if (account.Id) ids.push(account.Id);
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
}

/** The ids a projection parameter lists. */
export function projectedIds(value: string | undefined): string[] {
  return (value ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
}

/** The fields of a table that UpdateTable's TableInput takes back unchanged. */
function tableInputOf(table: Table, parameters: Record<string, string>): TableInput {
  return {
    Name: table.Name,
    Description: table.Description,
    Owner: table.Owner,
    LastAccessTime: table.LastAccessTime,
    LastAnalyzedTime: table.LastAnalyzedTime,
    Retention: table.Retention,
    StorageDescriptor: table.StorageDescriptor,
    PartitionKeys: table.PartitionKeys,
    ViewOriginalText: table.ViewOriginalText,
    ViewExpandedText: table.ViewExpandedText,
    TableType: table.TableType,
    TargetTable: table.TargetTable,
    Parameters: parameters,
  };
}

/** Adds the organization's accounts that the table does not project yet. */
export async function syncAccountProjection(
  clients: { readonly organizations: OrganizationsClient; readonly glue: GlueClient },
  target: ProjectedTable,
): Promise<SyncResult> {
  const accounts = await organizationAccountIds(clients.organizations);
  const { Table: table } = await clients.glue.send(
    new GetTableCommand({ CatalogId: target.catalogId, DatabaseName: target.databaseName, Name: target.tableName }),
  );
  if (!table) throw new Error(`table ${target.databaseName}.${target.tableName} not found in catalog ${target.catalogId}`);
  const current = projectedIds(table.Parameters?.[target.parameter]);
  const added = [...new Set(accounts)].filter((id) => !current.includes(id)).sort();
  const projected = [...current, ...added];
  if (added.length === 0) return { added, projected };
  await clients.glue.send(
    new UpdateTableCommand({
      CatalogId: target.catalogId,
      DatabaseName: target.databaseName,
      TableInput: tableInputOf(table, { ...table.Parameters, [target.parameter]: projected.join(',') }),
      VersionId: table.VersionId,
    }),
  );
  return { added, projected };
}
