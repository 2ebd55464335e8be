package com.acme.fulfillment.common;

/**
 * What the allocator needs to know about a robot controller: may it be sent
 * a picking job? Controllers report STARTING, IDLE, BUSY, UNAVAILABLE and
 * ROBOT_OFFLINE in their heartbeat; the allocator writes BUSY when it assigns
 * a job and OFFLINE when it cannot reach the controller.
 */
public enum ControllerStatus {
    /** Registered, still setting up: send no work. */
    STARTING,
    /** Ready for a picking job. */
    IDLE,
    /** Running a job. */
    BUSY,
    /** Up, but not taking work (charging, maintenance). */
    UNAVAILABLE,
    /** The allocator cannot reach the controller. */
    OFFLINE,
    /** The controller is up, but its robot does not answer. */
    ROBOT_OFFLINE
}
