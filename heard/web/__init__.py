"""The interface kit shared by the staff, public, letters and reports pages: nothing domain-specific."""
