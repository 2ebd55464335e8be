package com.acme.fulfillment.allocator;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.scheduling.annotation.EnableScheduling;
import redis.clients.jedis.JedisPooled;

@SpringBootApplication
@EnableKafka
@EnableScheduling
public class AllocatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(AllocatorApplication.class, args);
    }

    @Bean
    JedisPooled redis(@Value("${allocator.redis-url}") String url) {
        return new JedisPooled(URI.create(url));
    }

    /** Calls to the robot controllers: no retries of its own. */
    @Bean
    HttpClient controllerHttp() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }
}
