"""From recordings to speaker-attributed sessions: decoding, ASR, diarization, alignment,
speaker identification and the content-hash cache. Heavy libraries (faster-whisper,
torch) are imported inside functions only."""
