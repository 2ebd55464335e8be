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
            slot.setStatus(SlotStatus.FREE); // expect: AP-1
        }
    }
}
