"""Text analysis stages: dynamics, questions, topics, extraction, knowledge flow."""
