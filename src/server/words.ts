// How the REST API and AMQP say an input and a remedy: body fields, query
// parameters and routes; message fields and command kinds.
import type { Remedy, Words } from "../core/errors.js";

const ENV = "/api/v1/environments";

function restRemedy(r: Remedy): string {
  if ("option" in r)
    return r.option === "cascade"
      ? `send it with ?cascade=true${r.effect ? ` ${r.effect}` : ""}`
      : `send it with ${r.option}=true${r.effect ? ` ${r.effect}` : ""}`;
  if ("run" in r) {
    switch (r.run) {
      case "recover":
        return `POST ${ENV}/${r.environment}/recover`;
      case "update":
        return `PATCH ${ENV}/${r.environment}`;
      case "create":
        return `create it again with POST ${ENV}`;
      case "unlock":
        return `if that run is gone for good, POST ${ENV}/${r.environment}/unlock`;
      case "destroy-cascade":
        return `DELETE ${ENV}/${r.environment}?cascade=true`;
      case "forget":
        return `if the cluster is gone for good, POST ${ENV}/${r.environment}/forget`;
      case "health":
        return `POST ${ENV}/${r.environment}/health checks again`;
    }
  }
  switch (r.see) {
    case "environments":
      return `see GET ${ENV}`;
    case "templates":
      return "see GET /api/v1/templates";
    case "template":
      return `see GET /api/v1/templates/${r.id}`;
    case "logs":
      return `events: GET /api/v1/operations/${r.operation}/events`;
  }
}

/** REST: a create's body calls the environment `name`; parameters are `params.<key>`. */
export const REST_WORDS: Words = {
  field: (f) => (f === "environment" ? "name" : f),
  remedy: restRemedy,
};

function amqpRemedy(r: Remedy): string {
  if ("option" in r) return `send the command with ${r.option}: true${r.effect ? ` ${r.effect}` : ""}`;
  if ("run" in r) {
    const kind = r.run === "destroy-cascade" ? "destroy" : r.run;
    return `send {"kind":"${kind}","environment":"${r.environment}"${r.run === "destroy-cascade" ? ',"cascade":true' : ""}}`;
  }
  return r.see === "logs" ? `events: GET /api/v1/operations/${r.operation}/events` : restRemedy(r);
}

/** AMQP: the message's own field names. */
export const AMQP_WORDS: Words = {
  field: (f) => f,
  remedy: amqpRemedy,
};
