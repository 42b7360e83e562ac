"""Heard: complaints, compliments, comments and enquiries about Children's Services."""
