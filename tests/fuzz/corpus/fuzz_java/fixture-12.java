package com.example.render;

public enum WorkerStatus { IDLE, BUSY, UNHEALTHY }
