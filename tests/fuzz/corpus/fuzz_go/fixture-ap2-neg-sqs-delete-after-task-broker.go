// The fixed broker: delete only after the task ran; otherwise the visibility timeout redelivers.
package broker

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

type Broker struct {
	client   *sqs.Client
	queueURL string
}

func (b *Broker) Consume(ctx context.Context, run func(string) error) error {
	out, err := b.client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &b.queueURL})
	if err != nil {
		return err
	}
	for _, msg := range out.Messages {
		if err := run(*msg.Body); err != nil {
			continue
		}
		b.client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: &b.queueURL, ReceiptHandle: msg.ReceiptHandle})
	}
	return nil
}
