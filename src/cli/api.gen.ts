// Generated from infra server's OpenAPI document by scripts/api-types.mjs (openapi-typescript): do not edit.
// After a change to the API: npm run build && npm run api-types.

export interface paths {
    "/api/v1/admin/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** make this secondary the primary: its registry's standby is promoted, then it takes changes (409 while the primary still streams to it, unless force=true) */
        post: operations["promote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the audit log, newest first: who did what to which environment (paged with before=next) */
        get: operations["auditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** list environments */
        get: operations["listEnvironments"];
        put?: never;
        /** create an environment (asynchronous) */
        post: operations["createEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** an environment: status, outputs (secrets hidden), template */
        get: operations["getEnvironment"];
        put?: never;
        post?: never;
        /** destroy an environment; cascade=true destroys its dependents first (asynchronous; 200 when it is destroyed already) */
        delete: operations["destroyEnvironment"];
        options?: never;
        head?: never;
        /** update parameters, or upgrade to another template version (asynchronous) */
        patch: operations["changeEnvironment"];
        trace?: never;
    };
    "/api/v1/environments/{name}/drift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the last drift check: when, by whom, and each resource changed or missing (404 before the first) */
        get: operations["lastDrift"];
        put?: never;
        /** check now whether the world still holds what the environment declares: a refresh preview, nothing written to its state (asynchronous; the operation's outcome and GET …/drift say what it found) */
        post: operations["checkDrift"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/extend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** move the planned destruction to ttl from now (audited) */
        post: operations["extendEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/forget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** forget an environment whose cluster is gone for good: its state is dropped, nothing is called, it is recorded destroyed (asynchronous; audited) */
        post: operations["forgetEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the last health check (after a deployment or on demand): when, by whom, and each status output's state and what it found (404 before the first) */
        get: operations["lastHealth"];
        put?: never;
        /** probe the environment's status outputs now (asynchronous; GET …/health says what each found); a failing check makes it deployed-fail, a passing one clears a failure health set */
        post: operations["checkHealth"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** status transitions */
        get: operations["environmentHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/operations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** operations, newest last */
        get: operations["environmentOperations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/reconcile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** put back what the environment declares: an update that refreshes first, with its recorded template and parameters; pruneUnmanaged also deletes what nobody declared in its namespaces (asynchronous) */
        post: operations["reconcileEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/record": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** record an environment another infra made and keeps the stack of (infra bootstrap sends the meta environment): listed with its outputs and resources; the engine's operations on it are refused here (asynchronous, no engine run) */
        post: operations["recordEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** get an interrupted or failed environment moving again (asynchronous) */
        post: operations["recoverEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** accept into the environment's state what was changed outside infra (pulumi refresh): nothing outside is changed (asynchronous) */
        post: operations["refreshEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** resources with their components and dependencies */
        get: operations["environmentResources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{name}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** remove the lock of a run that is gone for good; its operation is marked interrupted (audited) */
        post: operations["unlockEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/graph": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the environments and their dependencies, or one environment's resources: format=json (default), dot, mermaid or svg; focus=NAME&depth=N around one; resources=NAME */
        get: operations["environmentGraph"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** liveness */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hooks/github": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** GitHub pull_request events: opened, reopened and synchronize apply pr-<repository>-<number> from the repository's infra-preview.yaml; closed destroys it. Signed with the webhook's secret (X-Hub-Signature-256), no bearer token; a repeated X-GitHub-Delivery runs nothing */
        post: operations["githubHook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** an operation */
        get: operations["getOperation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operations/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the operation's events as server-sent events, until it ends */
        get: operations["operationEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the registry, the engine and the bus are reachable */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reap": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** destroy expired environments, dependents first (asynchronous; 200 when none expired or dryRun) */
        post: operations["reapEnvironments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** apply a set of environments: a plan (create, update, upgrade, unchanged, destroy with prune), then the run in dependency order (asynchronous; 200 with the plan when plan is true or nothing has to run) */
        post: operations["applySet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sets/{set}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a set: its environments (those tagged infra.set=<set>, not destroyed; none: an empty list) */
        get: operations["getSet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sets/{set}/runs/{run}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a set's run on this server: the plan, each step's result and operation as it runs (kept in memory) */
        get: operations["setRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** templates (broken ones with their reason) */
        get: operations["listTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a template's versions */
        get: operations["getTemplate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the token this request carries: its name and role */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    promote: {
        parameters: {
            query?: {
                force?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "role": "primary",
                     *       "formerPrimary": "https://infra-a.example.com"
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    auditLog: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                before?: string;
                environment?: string;
                /** @description 1 to 1000 (default 50) */
                limit?: string;
                /** @description a duration back from now (30m, 24h, 7d) or an ISO 8601 time */
                since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "seq": 12,
                     *           "at": "2026-12-01T09:00:00.000Z",
                     *           "who": "token:ci",
                     *           "action": "create",
                     *           "environment": "pr-42",
                     *           "detail": {
                     *             "operation": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a"
                     *           }
                     *         }
                     *       ],
                     *       "next": 11
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listEnvironments: {
        parameters: {
            query?: {
                /** @description only those that depend on this environment, transitively (404 when it names none) */
                dependsOn?: string;
                limit?: string;
                /** @description only those this environment needs, transitively (404 when it names none) */
                neededBy?: string;
                offset?: string;
                search?: string;
                status?: "deploying" | "deployed-validating" | "deployed-ok" | "deployed-fail" | "destroying" | "destroyed" | "interrupted" | "drifted";
                /** @description key=value; repeat it for more (all must match) */
                tag?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "name": "pr-42",
                     *           "status": "deployed-ok",
                     *           "template": {
                     *             "id": "k8s-namespace-app",
                     *             "version": "1.2.0",
                     *             "source": "builtin"
                     *           },
                     *           "createdAt": "2026-12-01T09:00:00.000Z",
                     *           "description": "checkout redesign",
                     *           "tags": {
                     *             "team": "shop"
                     *           }
                     *         }
                     *       ],
                     *       "total": 1,
                     *       "limit": 50,
                     *       "offset": 0
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    createEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "pr-42",
                 *       "template": "k8s-namespace-app@1.2.0",
                 *       "params": {
                 *         "image": "nginx:1.27"
                 *       },
                 *       "tags": {
                 *         "team": "shop"
                 *       },
                 *       "ttl": "72h"
                 *     }
                 */
                "application/json": {
                    description?: string;
                    /** @description sandbox, kubernetes[:<context>], gcp:<project>/<region>, aws:<region>, openstack:<cloud>/<region>; default: the server's */
                    location?: string;
                    /** @description an environment name: lowercase letters, digits and '-', starting with a letter, at most 40 characters */
                    name: string;
                    /** @description template parameters by name */
                    params?: {
                        [key: string]: string | number | boolean;
                    };
                    tags?: {
                        [key: string]: string;
                    };
                    /** @description id or id@version */
                    template: string;
                    /** @description planned destruction after this long: 30m, 72h, 7d */
                    ttl?: string;
                };
            };
        };
        responses: {
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0b6f3c1e-8d2a-4f7b-9c5e-1a2b3c4d5e6f",
                     *       "name": "pr-42",
                     *       "description": "checkout redesign",
                     *       "status": "deployed-ok",
                     *       "template": {
                     *         "id": "k8s-namespace-app",
                     *         "version": "1.2.0",
                     *         "source": "builtin"
                     *       },
                     *       "location": "sandbox",
                     *       "params": {
                     *         "image": "nginx:1.27"
                     *       },
                     *       "tags": {
                     *         "team": "shop"
                     *       },
                     *       "outputs": {
                     *         "url": {
                     *           "value": "https://pr-42.apps.example.com",
                     *           "kind": "entrypoint",
                     *           "secret": false
                     *         },
                     *         "apiToken": {
                     *           "secret": true
                     *         }
                     *       },
                     *       "createdAt": "2026-12-01T09:00:00.000Z",
                     *       "updatedAt": "2026-12-01T09:00:00.000Z",
                     *       "expiresAt": "2026-12-04T09:00:00.000Z",
                     *       "dependsOn": [
                     *         "shared-db"
                     *       ],
                     *       "usedBy": [],
                     *       "lock": null
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    destroyEnvironment: {
        parameters: {
            query?: {
                cascade?: "true" | "false";
            };
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description nothing had to run (status unchanged: a destroy of what is destroyed), or it is done already (extend, unlock, a reaper's dry run) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "unchanged",
                     *       "environment": "pr-41",
                     *       "reason": "destroyed already"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        reason?: string;
                        /** @enum {string} */
                        status?: "unchanged" | "done";
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    changeEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description template parameters by name */
                    params?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @description upgrade to this version: id@version or a version */
                    template?: string;
                };
            };
        };
        responses: {
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    lastDrift: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "environment": "pr-42",
                     *       "checkedAt": "2026-12-01T09:00:00.000Z",
                     *       "by": "token:ci",
                     *       "operation": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "inSync": false,
                     *       "changed": 1,
                     *       "missing": 0,
                     *       "unmanaged": 0,
                     *       "resources": [
                     *         {
                     *           "state": "changed",
                     *           "type": "kubernetes:apps/v1:Deployment",
                     *           "name": "web",
                     *           "urn": "urn:pulumi:pr-42::infra::kubernetes:apps/v1:Deployment::web",
                     *           "fields": [
                     *             {
                     *               "path": "spec.template.spec.containers[0].image",
                     *               "declared": "nginx:1.27",
                     *               "actual": "nginx:1.25"
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    checkDrift: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    extendEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "ttl": "24h"
                 *     }
                 */
                "application/json": {
                    ttl: string;
                };
            };
        };
        responses: {
            /** @description nothing had to run (status unchanged: a destroy of what is destroyed), or it is done already (extend, unlock, a reaper's dry run) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "unchanged",
                     *       "environment": "pr-41",
                     *       "reason": "destroyed already"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        reason?: string;
                        /** @enum {string} */
                        status?: "unchanged" | "done";
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    forgetEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description nothing had to run (status unchanged: a destroy of what is destroyed), or it is done already (extend, unlock, a reaper's dry run) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "unchanged",
                     *       "environment": "pr-41",
                     *       "reason": "destroyed already"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        reason?: string;
                        /** @enum {string} */
                        status?: "unchanged" | "done";
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    lastHealth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "state": "failing",
                     *       "checks": [
                     *         {
                     *           "output": "health",
                     *           "target": "https://pr-42.apps.example.com/healthz",
                     *           "state": "failing",
                     *           "detail": "HTTP 503 after 3 attempts",
                     *           "attempts": 3
                     *         }
                     *       ],
                     *       "checkedAt": "2026-12-01T09:00:00.000Z",
                     *       "by": "drift-checker"
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    checkHealth: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description nothing had to run (status unchanged: a destroy of what is destroyed), or it is done already (extend, unlock, a reaper's dry run) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "unchanged",
                     *       "environment": "pr-41",
                     *       "reason": "destroyed already"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        reason?: string;
                        /** @enum {string} */
                        status?: "unchanged" | "done";
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    environmentHistory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "from": "new",
                     *           "to": "deploying",
                     *           "at": "2026-12-01T09:00:00.000Z",
                     *           "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a"
                     *         },
                     *         {
                     *           "from": "deploying",
                     *           "to": "deployed-ok",
                     *           "at": "2026-12-01T09:00:00.000Z",
                     *           "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    environmentOperations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *           "environment": "pr-42",
                     *           "kind": "create",
                     *           "who": "token:ci",
                     *           "startedAt": "2026-12-01T09:00:00.000Z",
                     *           "endedAt": "2026-12-01T09:00:00.000Z",
                     *           "result": "succeeded",
                     *           "summary": {
                     *             "create": 7
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    reconcileEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "pruneUnmanaged": true
                 *     }
                 */
                "application/json": {
                    /** @description also delete the objects nobody declared in its namespaces (listed, and asked) */
                    pruneUnmanaged?: boolean;
                } | null;
            };
        };
        responses: {
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    recordEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "template": "meta@1.0.0",
                 *       "location": "sandbox",
                 *       "from": "infra bootstrap on alice@laptop",
                 *       "outputs": {
                 *         "apiUrl": {
                 *           "value": "http://infra-api.infra.svc:7780",
                 *           "secret": false,
                 *           "kind": "entrypoint"
                 *         },
                 *         "kubeconfig": {
                 *           "secret": true
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    description?: string;
                    /** @description who keeps its stack, in words (e.g. infra bootstrap on alice@laptop) */
                    from: string;
                    /** @description sandbox, kubernetes[:<context>], gcp:<project>/<region>, aws:<region>, openstack:<cloud>/<region>; default: the server's */
                    location: string;
                    /** @description its outputs; a secret one without its value */
                    outputs?: {
                        [key: string]: {
                            /** @enum {string} */
                            kind?: "entrypoint" | "status";
                            secret: boolean;
                            /** @description any JSON value */
                            value?: unknown;
                        };
                    };
                    resources?: {
                        name: string;
                        type: string;
                        urn: string;
                    }[];
                    /** @description the template it was made from */
                    template: string;
                    /** @description where that template came from (builtin, a folder, a git URL) */
                    templateSource?: string;
                };
            };
        };
        responses: {
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    recoverEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    refreshEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    environmentResources: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "urn": "urn:pulumi:pr-42::infra::kubernetes:apps/v1:Deployment::web",
                     *           "type": "kubernetes:apps/v1:Deployment",
                     *           "name": "web",
                     *           "status": "ok",
                     *           "dependsOn": []
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    unlockEnvironment: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "reason": "the CI runner that held it was deleted"
                 *     }
                 */
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description nothing had to run (status unchanged: a destroy of what is destroyed), or it is done already (extend, unlock, a reaper's dry run) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "unchanged",
                     *       "environment": "pr-41",
                     *       "reason": "destroyed already"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        reason?: string;
                        /** @enum {string} */
                        status?: "unchanged" | "done";
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    environmentGraph: {
        parameters: {
            query?: {
                all?: "true" | "false";
                depth?: string;
                focus?: string;
                format?: "json" | "dot" | "mermaid" | "svg";
                resources?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the graph in the format asked for */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                    "image/svg+xml": string;
                    "text/vnd.graphviz": string;
                    "text/vnd.mermaid": string;
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok"
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    githubHook: {
        parameters: {
            query?: never;
            header?: {
                "x-github-delivery"?: string;
                /** @example pull_request */
                "x-github-event"?: string;
                /** @description sha256=<hex HMAC-SHA256 of the body with the webhook's secret> */
                "x-hub-signature-256"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "replayed",
                     *       "delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "accepted",
                     *       "environment": "pr-shop-42",
                     *       "action": "create"
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description GitHub could not be read (the repository's infra-preview.yaml) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getOperation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "kind": "create",
                     *       "who": "token:ci",
                     *       "startedAt": "2026-12-01T09:00:00.000Z",
                     *       "endedAt": "2026-12-01T09:00:00.000Z",
                     *       "result": "succeeded",
                     *       "summary": {
                     *         "create": 7
                     *       }
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    operationEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream: one event per operation event (its type as the event name, the event as JSON data), then `end` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "event": "started",
                     *       "data": "{\"type\":\"started\",\"environment\":\"pr-42\",\"operation\":\"7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a\",\"kind\":\"create\"}"
                     *     }
                     */
                    "text/event-stream": {
                        /** @description the event as JSON; end's: {operation, result} */
                        data: string;
                        /** @description the operation event's type (started, step, notice, finished, …), or end */
                        event: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok",
                     *       "role": "primary",
                     *       "checks": {
                     *         "registry": "ok",
                     *         "engine": "ok",
                     *         "bus": "ok"
                     *       }
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "not ready",
                     *       "role": "primary",
                     *       "checks": {
                     *         "registry": "ok",
                     *         "engine": "ok",
                     *         "bus": "not connected"
                     *       }
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    reapEnvironments: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "dryRun": true
                 *     }
                 */
                "application/json": {
                    dryRun?: boolean;
                } | null;
            };
        };
        responses: {
            /** @description nothing had to run (status unchanged: a destroy of what is destroyed), or it is done already (extend, unlock, a reaper's dry run) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "unchanged",
                     *       "environment": "pr-41",
                     *       "reason": "destroyed already"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        reason?: string;
                        /** @enum {string} */
                        status?: "unchanged" | "done";
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events) */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "operationId": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "environment": "pr-42",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": {
                        environment?: string;
                        operationId?: string;
                        replayed?: boolean;
                        status?: string;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    applySet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "set": "shop",
                 *       "environments": [
                 *         {
                 *           "name": "db",
                 *           "template": "postgres@1.0.0"
                 *         },
                 *         {
                 *           "name": "api",
                 *           "template": "k8s-namespace-app@1.2.0",
                 *           "params": {
                 *             "image": "shop/api:1.4",
                 *             "database": "db"
                 *           }
                 *         }
                 *       ],
                 *       "prune": true
                 *     }
                 */
                "application/json": {
                    /** @description every environment of the set, as it should be */
                    environments: {
                        description?: string;
                        /** @description sandbox, kubernetes[:<context>], gcp:<project>/<region>, aws:<region>, openstack:<cloud>/<region>; default: the server's */
                        location?: string;
                        /** @description an environment name: lowercase letters, digits and '-', starting with a letter, at most 40 characters */
                        name: string;
                        /** @description template parameters by name */
                        params?: {
                            [key: string]: string | number | boolean;
                        };
                        tags?: {
                            [key: string]: string;
                        };
                        /** @description id@version; an id alone: the newest for a new environment, the version it runs for one that exists */
                        template: string;
                        /** @description a new environment's planned destruction after this long */
                        ttl?: string;
                    }[];
                    /** @description how many environments run at once (default: the cores) */
                    parallel?: number;
                    /** @description only make the plan: nothing runs */
                    plan?: boolean;
                    /** @description destroy the set's environments this list no longer names, dependents first */
                    prune?: boolean;
                    /** @description the set's name: its environments carry the tag infra.set=<set> */
                    set: string;
                };
            };
        };
        responses: {
            /** @description the plan only (plan: true), or nothing had to run (every environment as last applied) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "planned",
                     *       "set": "shop",
                     *       "levels": [
                     *         [
                     *           "db"
                     *         ],
                     *         [
                     *           "api",
                     *           "worker"
                     *         ]
                     *       ],
                     *       "steps": [
                     *         {
                     *           "environment": "db",
                     *           "action": "unchanged",
                     *           "template": "postgres@1.0.0",
                     *           "after": [],
                     *           "reason": "template, parameters and upstream outputs as last applied"
                     *         },
                     *         {
                     *           "environment": "api",
                     *           "action": "update",
                     *           "template": "k8s-namespace-app@1.2.0",
                     *           "after": [
                     *             "db"
                     *           ],
                     *           "reason": "parameters changed: image"
                     *         },
                     *         {
                     *           "environment": "worker",
                     *           "action": "create",
                     *           "template": "k8s-namespace-app@1.2.0",
                     *           "after": [
                     *             "db"
                     *           ],
                     *           "reason": "new"
                     *         }
                     *       ],
                     *       "unlisted": [],
                     *       "done": false
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the plan, running: each step gets its result and operation as it runs; follow it at the Location header */
            202: {
                headers: {
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "run": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "status": "running",
                     *       "set": "shop",
                     *       "levels": [
                     *         [
                     *           "db"
                     *         ],
                     *         [
                     *           "api",
                     *           "worker"
                     *         ]
                     *       ],
                     *       "steps": [
                     *         {
                     *           "environment": "db",
                     *           "action": "unchanged",
                     *           "template": "postgres@1.0.0",
                     *           "after": [],
                     *           "reason": "template, parameters and upstream outputs as last applied"
                     *         },
                     *         {
                     *           "environment": "api",
                     *           "action": "update",
                     *           "template": "k8s-namespace-app@1.2.0",
                     *           "after": [
                     *             "db"
                     *           ],
                     *           "reason": "parameters changed: image"
                     *         },
                     *         {
                     *           "environment": "worker",
                     *           "action": "create",
                     *           "template": "k8s-namespace-app@1.2.0",
                     *           "after": [
                     *             "db"
                     *           ],
                     *           "reason": "new"
                     *         }
                     *       ],
                     *       "unlisted": [],
                     *       "done": false
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a read token asked for a change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the environment's status or lock refuses it now */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description every worker is busy: retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description this server is a secondary, or stopping */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                set: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "set": "shop",
                     *       "environments": [
                     *         {
                     *           "name": "db",
                     *           "status": "deployed-ok",
                     *           "template": {
                     *             "id": "postgres",
                     *             "version": "1.0.0",
                     *             "source": "builtin"
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    setRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run: string;
                set: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "run": "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a",
                     *       "status": "running",
                     *       "set": "shop",
                     *       "levels": [
                     *         [
                     *           "db"
                     *         ],
                     *         [
                     *           "api",
                     *           "worker"
                     *         ]
                     *       ],
                     *       "steps": [
                     *         {
                     *           "environment": "db",
                     *           "action": "unchanged",
                     *           "template": "postgres@1.0.0",
                     *           "after": [],
                     *           "reason": "template, parameters and upstream outputs as last applied"
                     *         },
                     *         {
                     *           "environment": "api",
                     *           "action": "update",
                     *           "template": "k8s-namespace-app@1.2.0",
                     *           "after": [
                     *             "db"
                     *           ],
                     *           "reason": "parameters changed: image"
                     *         },
                     *         {
                     *           "environment": "worker",
                     *           "action": "create",
                     *           "template": "k8s-namespace-app@1.2.0",
                     *           "after": [
                     *             "db"
                     *           ],
                     *           "reason": "new"
                     *         }
                     *       ],
                     *       "unlisted": [],
                     *       "done": false
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "k8s-namespace-app",
                     *           "version": "1.2.0",
                     *           "description": "an app in a namespace of its own",
                     *           "source": "builtin",
                     *           "parameters": {
                     *             "image": {
                     *               "type": "string"
                     *             }
                     *           }
                     *         }
                     *       ],
                     *       "broken": []
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "k8s-namespace-app",
                     *       "versions": [
                     *         {
                     *           "version": "1.2.0",
                     *           "description": "an app in a namespace of its own"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description the request does not fit the schema */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no such environment, template or operation */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a path parameter is longer than any name can be (100 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "name": "ci",
                     *       "role": "write",
                     *       "server": "primary"
                     *     }
                     */
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description no token, or an unknown or revoked one */
            401: {
                headers: {
                    /** @description Bearer realm="infra" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        allowed?: string[];
                        detail: string;
                        field?: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
}
