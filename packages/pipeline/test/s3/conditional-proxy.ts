/**
 * A loopback HTTP proxy in front of s3rver that enforces S3's conditional writes, which s3rver
 * ignores: a PutObject or CompleteMultipartUpload carrying `If-None-Match: *` is answered
 * `412 PreconditionFailed` (S3's XML error body) when the key already exists on s3rver (a HEAD of
 * the same key, made by the proxy itself), and forwarded otherwise. Conditional writes are
 * serialised per key, so that two of them cannot both pass the check. Every other request is
 * forwarded unchanged — the exact body bytes and headers, `Host` included, so SigV4 signatures
 * made for the proxy's address stay valid on s3rver.
 */
import { request, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3TestServer } from './s3-server.ts';

export interface ConditionalProxy {
  endpoint: string;
  /** `server.env` with the endpoint pointing at the proxy. */
  env: Record<string, string>;
  /** Keys of the writes that carried `If-None-Match: *`, in arrival order. */
  conditional: string[];
  /** Keys the proxy answered 412 for. */
  refused: string[];
  stop(): Promise<void>;
}

/** `/bucket/key…` (path style) → bucket and decoded key. */
function target(url: string): { bucket: string; key: string; query: URLSearchParams } {
  const parsed = new URL(url, 'http://proxy');
  const [, bucket = '', ...rest] = parsed.pathname.split('/');
  return { bucket: decodeURIComponent(bucket), key: rest.map(decodeURIComponent).join('/'), query: parsed.searchParams };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startConditionalProxy(server: S3TestServer): Promise<ConditionalProxy> {
  const upstream = new URL(server.endpoint);
  const s3 = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const conditional: string[] = [];
  const refused: string[] = [];
  const queues = new Map<string, Promise<void>>();

  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
      answer.pipe(res);
    });
    out.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    if (body) out.end(body);
    else req.pipe(out);
  };

  const exists = async (bucket: string, key: string): Promise<boolean> => {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  };

  const http = createServer((req, res) => {
    const { bucket, key, query } = target(req.url ?? '/');
    const isWrite = (req.method === 'PUT' && !query.has('partNumber')) || (req.method === 'POST' && query.has('uploadId'));
    if (!isWrite || req.headers['if-none-match'] !== '*') {
      forward(req, res);
      return;
    }
    conditional.push(key);
    const previous = queues.get(`${bucket}/${key}`) ?? Promise.resolve();
    const done = previous.then(async () => {
      const body = await readBody(req);
      if (await exists(bucket, key)) {
        refused.push(key);
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition><Key>${key}</Key><RequestId>proxy</RequestId><HostId>proxy</HostId></Error>`;
        res.writeHead(412, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
        res.end(xml);
        return;
      }
      // Held until s3rver answered, so the next conditional write of this key sees the object.
      await new Promise<void>((finished) => {
        res.on('finish', finished);
        res.on('close', finished);
        forward(req, res, body);
      });
    });
    queues.set(
      `${bucket}/${key}`,
      done.catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502);
        res.end(String(error));
      }),
    );
  });
  await new Promise<void>((listening) => http.listen(0, '127.0.0.1', listening));
  const endpoint = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  return {
    endpoint,
    env: { ...server.env, AWS_ENDPOINT_URL: endpoint },
    conditional,
    refused,
    async stop() {
      s3.destroy();
      http.closeAllConnections();
      await new Promise<void>((closed) => http.close(() => closed()));
    },
  };
}
