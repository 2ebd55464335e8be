package org.example.grid;

import java.util.List;
import java.util.Optional;

public class Distributor {
    private final List<Slot> slots;

    public Distributor(List<Slot> slots) {
        this.slots = slots;
    }

    public Optional<Slot> pickSlot() {
        return slots.stream()
            .filter(s -> s.getStatus() == SlotStatus.FREE)
            .findFirst();
    }

    public void route(SessionRequest request) {
        Optional<Slot> slot = pickSlot();
        slot.ifPresent(s -> s.getNode().createSession(request, s));
    }
}
