/**
 * The object store the verifier reads (and the generator of rehearsal deliveries writes): S3
 * through the AWS SDK v3, or memory (the benchmark, which measures the verifier apart from any
 * network). Bodies are streams, so that no log file is ever held whole.
 */
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface StoredObject {
  readonly body: Readable;
  /** User metadata (`x-amz-meta-*`), names without the prefix, as S3 returns them (lower case). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** An object that cannot be read until it is restored (S3 Glacier Flexible Retrieval or Deep Archive). */
export class ArchivedObjectError extends Error {
  constructor(readonly bucket: string, readonly key: string) {
    super(`s3://${bucket}/${key} is in an archive storage class: restore it (S3 RestoreObject) before verifying this period`);
    this.name = 'ArchivedObjectError';
  }
}

export interface ObjectStore {
  /** Keys under the prefix, in S3's (lexicographic) order. */
  listKeys(bucket: string, prefix: string): AsyncIterable<string>;
  /** The folders (common prefixes, with their trailing `/`) right below the prefix. */
  listFolders(bucket: string, prefix: string): AsyncIterable<string>;
  /** The object, or undefined when there is none with that key. */
  get(bucket: string, key: string): Promise<StoredObject | undefined>;
}

/** What the generator of rehearsal deliveries (and its tampering) needs beyond reading. */
export interface WritableObjectStore extends ObjectStore {
  put(bucket: string, key: string, body: Buffer, metadata?: Readonly<Record<string, string>>): Promise<void>;
  delete(bucket: string, key: string): Promise<void>;
  /** Creates the bucket if it does not exist (emulators and memory only). */
  ensureBucket(bucket: string, region: string): Promise<void>;
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

export class S3ObjectStore implements WritableObjectStore {
  constructor(private readonly s3: S3Client) {}

  async *listKeys(bucket: string, prefix: string): AsyncIterable<string> {
    for await (const page of this.pages(bucket, prefix)) for (const item of page.Contents ?? []) if (item.Key) yield item.Key;
  }

  async *listFolders(bucket: string, prefix: string): AsyncIterable<string> {
    for await (const page of this.pages(bucket, prefix, '/')) for (const item of page.CommonPrefixes ?? []) if (item.Prefix) yield item.Prefix;
  }

  private async *pages(bucket: string, prefix: string, delimiter?: string) {
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { body: object.Body as Readable, metadata: object.Metadata ?? {} };
    } catch (error) {
      // S3 answers 404 NoSuchKey only to a principal that may list the bucket (else 403): the verifier's role may
      if (errorName(error) === 'NoSuchKey') return undefined;
      if (errorName(error) === 'InvalidObjectState') throw new ArchivedObjectError(bucket, key);
      throw error;
    }
  }

  async put(bucket: string, key: string, body: Buffer, metadata: Readonly<Record<string, string>> = {}): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: { ...metadata } }));
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  async ensureBucket(bucket: string, region: string): Promise<void> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch {
      await this.s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as never } }));
    }
  }
}

/** Objects in memory, in key order on listing like S3. */
export class MemoryObjectStore implements WritableObjectStore {
  private readonly buckets = new Map<string, Map<string, { body: Buffer; metadata: Record<string, string> }>>();

  private bucket(name: string) {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new Error(`no bucket ${name}`);
    return bucket;
  }

  private sortedKeys(bucket: string, prefix: string): string[] {
    return [...this.bucket(bucket).keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async *listKeys(bucket: string, prefix: string): AsyncIterable<string> {
    yield* this.sortedKeys(bucket, prefix);
  }

  async *listFolders(bucket: string, prefix: string): AsyncIterable<string> {
    const folders = new Set<string>();
    for (const key of this.sortedKeys(bucket, prefix)) {
      const slash = key.indexOf('/', prefix.length);
      if (slash >= 0) folders.add(key.slice(0, slash + 1));
    }
    yield* folders;
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    const object = this.bucket(bucket).get(key);
    return object && { body: Readable.from([object.body]), metadata: { ...object.metadata } };
  }

  async put(bucket: string, key: string, body: Buffer, metadata: Readonly<Record<string, string>> = {}): Promise<void> {
    this.bucket(bucket).set(key, { body, metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v])) });
  }

  async delete(bucket: string, key: string): Promise<void> {
    this.bucket(bucket).delete(key);
  }

  async ensureBucket(bucket: string): Promise<void> {
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, new Map());
  }

  /** The compressed bytes of the objects whose keys pass the test (the benchmark's raw baseline reads the same bytes). */
  bodies(bucket: string, test: (key: string) => boolean = () => true): Buffer[] {
    return this.sortedKeys(bucket, '').filter(test).map((key) => this.bucket(bucket).get(key)!.body);
  }
}
