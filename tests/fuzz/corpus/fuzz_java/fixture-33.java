package com.example.jobs;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

public class JobPublisher {
    private final SqsClient sqs = SqsClient.create();
    private final String queueUrl;

    public JobPublisher(String queueUrl) {
        this.queueUrl = queueUrl;
    }

    public void publish(String body) throws InterruptedException {
        SendMessageRequest request = SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body).build();
        for (int attempt = 0; attempt < 5; attempt++) { // expect: AP-5
            try {
                sqs.sendMessage(request);
                return;
            } catch (SdkClientException e) {
                Thread.sleep(200L << attempt);
            }
        }
    }
}
