import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as ProtobufJs from 'protobufjs';

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs') as typeof ProtobufJs;

/** Folder of the OTLP .proto files shipped with this package (see proto/README.md). */
const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'proto', 'opentelemetry-proto-v1.7.0');

export interface OtlpTypes {
  request: ProtobufJs.Type;
  response: ProtobufJs.Type;
  status: ProtobufJs.Type;
}

let types: OtlpTypes | undefined;

/**
 * The OTLP trace service messages, loaded once from the official .proto definitions with protobufjs, plus
 * `google.rpc.Status` (the error body the OTLP/HTTP specification requires), declared through protobufjs'
 * reflection API because it is not part of the OTLP protos.
 */
export function otlpTypes(): OtlpTypes {
  if (types) return types;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, basename(target));
  root.loadSync('trace_service.proto');
  const rpc = new protobuf.Namespace('rpc');
  root.add(new protobuf.Namespace('google').add(rpc));
  rpc.add(
    new protobuf.Type('Status')
      .add(new protobuf.Field('code', 1, 'int32'))
      .add(new protobuf.Field('message', 2, 'string')),
  );
  root.resolveAll();
  types = {
    request: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    response: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    status: root.lookupType('google.rpc.Status'),
  };
  return types;
}

export const protobufLong = protobuf.util.Long;
