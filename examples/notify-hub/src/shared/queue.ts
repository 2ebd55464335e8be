// The delivery queue on SQS. The API enqueues new deliveries; the dispatcher
// requeues failed ones with a delay.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeliveryJob } from './types';

export class DeliveryQueue {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async enqueue(job: DeliveryJob, delaySeconds = 0): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        DelaySeconds: delaySeconds,
        MessageAttributes: {
          channel: { DataType: 'String', StringValue: job.channel },
          attempt: { DataType: 'Number', StringValue: String(job.attempt) },
        },
      }),
    );
  }
}
