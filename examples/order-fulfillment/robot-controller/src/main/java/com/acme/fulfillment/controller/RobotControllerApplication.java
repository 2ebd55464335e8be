package com.acme.fulfillment.controller;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.retry.annotation.EnableRetry;
import org.springframework.scheduling.annotation.EnableScheduling;

/** One per warehouse robot: takes picking jobs from the allocator and drives the robot. */
@SpringBootApplication
@EnableRetry
@EnableScheduling
public class RobotControllerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RobotControllerApplication.class, args);
    }

    /** One mission at a time: a robot drives one aisle at a time. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService missionExecutor() {
        return Executors.newSingleThreadExecutor();
    }
}
