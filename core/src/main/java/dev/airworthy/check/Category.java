package dev.airworthy.check;

/** The catalog families of DESIGN.md; used to group `airworthy checks` and the docs index. */
public enum Category {
    HTTP("Live HTTP"),
    TLS("TLS"),
    DEPENDENCIES("Dependencies"),
    LOAD("Load and behaviour"),
    REPOSITORY("Repository"),
    CONTAINERS("Containers"),
    CONFIGURATION("Configuration"),
    OPERATIONS("Operations"),
    PEOPLE("People");

    private final String title;

    Category(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
