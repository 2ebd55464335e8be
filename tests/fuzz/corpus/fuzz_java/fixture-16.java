package com.example.thumbs;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;

public class ThumbnailConsumer extends DefaultConsumer {
    private final Storage storage;

    public ThumbnailConsumer(Channel channel, Storage storage) {
        super(channel);
        this.storage = storage;
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
            throws IOException {
        // ack on receipt so prefetched jobs do not pile up on a busy worker
        getChannel().basicAck(envelope.getDeliveryTag(), false); // expect: AP-2
        ThumbJob job = ThumbJob.parse(body);
        byte[] original = storage.fetchOriginal(job.getBucket(), job.getKey());
        storage.storeThumbnail(job.getKey(), Thumbs.make(original, job.getSize()));
    }

    public static void main(String[] args) throws Exception {
        Channel channel = Rabbit.connect("rabbitmq").createChannel();
        channel.basicQos(10);
        channel.basicConsume("thumbnails", false, new ThumbnailConsumer(channel, new Storage()));
    }
}
