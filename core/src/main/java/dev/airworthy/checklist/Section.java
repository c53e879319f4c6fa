package dev.airworthy.checklist;

import java.util.List;

public record Section(String title, List<Item> items) {
}
