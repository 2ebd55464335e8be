package com.acme.fulfillment.common;

/** Why a picking job failed, as the robot controller reports it. */
public enum FailureReason {
    /** The robot's API refused the connection or timed out. */
    ROBOT_UNREACHABLE,
    /** The robot aborted the mission (obstacle, emergency stop). */
    MISSION_ABORTED,
    /** The progress stream of the mission broke off. */
    PROGRESS_LOST,
    /** A bin did not hold the item: another robot will not find it either. */
    ITEM_NOT_FOUND;

    public boolean retryable() {
        return this != ITEM_NOT_FOUND;
    }
}
