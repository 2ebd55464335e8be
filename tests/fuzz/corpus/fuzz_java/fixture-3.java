package org.example.grid;

public enum SlotStatus { FREE, RESERVED, BUSY, DOWN }
