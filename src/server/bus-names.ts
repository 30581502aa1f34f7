// The bus's exchanges and queues (bus.ts uses them; asyncapi.ts documents them
// without loading the AMQP client).
export const COMMANDS_EXCHANGE = "infra.commands";
export const COMMANDS_QUEUE = "infra.commands";
export const RETRY_QUEUE = "infra.commands.retry";
export const DEAD_QUEUE = "infra.commands.dead";
export const EVENTS_EXCHANGE = "infra.events";
/** The routing key commands are published with on the commands exchange. */
export const COMMAND_ROUTE = "command";
