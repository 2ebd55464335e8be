// Order events: commit first so a slow handler never blocks the partition.
import { Kafka } from 'kafkajs';
import { applyOrder } from './orders';

const kafka = new Kafka({ clientId: 'orders', brokers: ['kafka:9092'] });
const consumer = kafka.consumer({ groupId: 'orders' });

export async function run(): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic: 'orders' });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const next = (Number(message.offset) + 1).toString();
      await consumer.commitOffsets([{ topic, partition, offset: next }]); // expect: AP-2
      const order = JSON.parse(message.value!.toString());
      await applyOrder(order);
    },
  });
}
