package dev.airworthy.run;

import dev.airworthy.checklist.Item;

/** Hears about items starting and finishing; called from many threads at once. */
public interface Progress {
    Progress NONE = new Progress() {
    };

    default void started(Item item, int total) {
    }

    default void finished(ItemResult result, int done, int total) {
    }
}
