// The test broker is shared by the files of a run: each server test starts
// with the command queues empty, whatever an earlier file left in them.
import amqp from "amqplib";

export async function clearCommandQueues(url: string): Promise<void> {
  const c = await amqp.connect(url);
  const ch = await c.createChannel();
  for (const q of ["infra.commands", "infra.commands.retry", "infra.commands.dead"]) await ch.deleteQueue(q);
  await c.close();
}
