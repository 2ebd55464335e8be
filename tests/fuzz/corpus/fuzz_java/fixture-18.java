package com.example.tasks;

public enum TaskState { QUEUED, RUNNING, SUCCEEDED, FAILED }
