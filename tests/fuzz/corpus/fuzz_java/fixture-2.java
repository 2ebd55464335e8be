package org.example.grid;

import java.net.ConnectException;

public class Node {
    private final DriverService driver;

    public Node(DriverService driver) {
        this.driver = driver;
    }

    public void createSession(SessionRequest request, Slot slot) {
        slot.setStatus(SlotStatus.RESERVED);
        try {
            Session session = driver.start(request.getCapabilities());
            slot.setSession(session);
            slot.setStatus(SlotStatus.BUSY);
        } catch (ConnectException e) {
            slot.setSession(null);
            // the driver cannot be reached: report the slot down until a health check passes
            slot.setStatus(SlotStatus.DOWN);
        }
    }
}
