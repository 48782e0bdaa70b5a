// costspan with a Prometheus endpoint instead of OTLP: `node --import ./src/telemetry.mjs src/app.mjs`.
import { registerLoaderHook, startCostspan } from '@costspan/node';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

registerLoaderHook();
startCostspan({
  serviceName: 'prometheus-example',
  spanExporters: [], // this example only exports metrics
  metricReaders: [new PrometheusExporter({ host: '127.0.0.1', port: Number(process.env.METRICS_PORT ?? 9464) })],
});
