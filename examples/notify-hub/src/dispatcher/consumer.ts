// Long-polls the delivery queue and hands each job to the dispatcher.
import {
  DeleteMessageCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NotificationStore } from '../shared/store';
import { DeliveryJob } from '../shared/types';
import { Dispatcher } from './dispatcher';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseJob(body: string | undefined): DeliveryJob | null {
  try {
    const job = JSON.parse(body ?? '') as DeliveryJob;
    return job.notificationId && job.recipient && typeof job.body === 'string' ? job : null;
  } catch {
    return null;
  }
}

export class DeliveryConsumer {
  private stopping = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly store: NotificationStore,
    private readonly dispatcher: Dispatcher,
  ) {}

  stop(): void {
    this.stopping = true;
  }

  async run(): Promise<void> {
    while (!this.stopping) {
      let messages: Message[];
      try {
        const out = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 20,
            MessageAttributeNames: ['All'],
          }),
        );
        messages = out.Messages ?? [];
      } catch (err) {
        console.warn('receive from the delivery queue failed; retrying in 2s', err);
        await sleep(2000);
        continue;
      }
      for (const message of messages) {
        await this.handle(message);
      }
    }
  }

  private async handle(message: Message): Promise<void> {
    const job = parseJob(message.Body);
    if (!job) {
      console.error(`dropping malformed message ${message.MessageId}: ${message.Body?.slice(0, 200)}`);
      await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.ReceiptHandle }));
      return;
    }
    // Deleted at once: a job can wait for a free sender longer than the
    // visibility timeout, and SQS would then hand it out a second time.
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    const record = await this.store.get(job.notificationId);
    if (!record || record.state === 'delivered' || record.state === 'failed') {
      return; // cancelled, or a duplicate of a finished one
    }
    this.dispatcher.submit(job);
  }
}
