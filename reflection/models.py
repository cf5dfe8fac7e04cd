# Models arrive with this app's own issue; see the README's architecture section.
