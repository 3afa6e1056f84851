import { registerOTel } from '@vercel/otel'

/**
 * OpenTelemetry, the way Next.js documents it (https://nextjs.org/docs/app/guides/open-telemetry):
 * Next calls `register()` once when the server starts, before it handles a request.
 *
 * `registerOTel` registers a tracer provider and the AsyncLocalStorage context manager with
 * `@opentelemetry/api`. From then on Next traces every request (the root span is
 * `GET /server`, `POST /api/late/connect`, …) and late-native, which finds the same API,
 * adds a CLIENT span per HTTP attempt to Late as a child of whatever span is active
 * (`GET /api/v1/accounts` with `late.operation: listAccounts`, …) and sends its `traceparent`.
 *
 * Spans are exported over OTLP/HTTP as the standard variables say:
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), default
 * http://localhost:4318; `OTEL_EXPORTER_OTLP_PROTOCOL` `http/protobuf` (default) or `http/json`;
 * `OTEL_SERVICE_NAME` overrides the name below; `OTEL_SDK_DISABLED=true` turns it all off.
 */
export function register() {
  registerOTel({ serviceName: 'late-native-example-nextjs' })
}
