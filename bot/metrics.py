"""Prometheus metrics for an operator: traffic per platform, flow completions, check-ins, latency.

Each :class:`Metrics` has its own registry, so tests (and several coaches in one process) never share
counters. The coach reports through an observer callback and proactive sends through a wrapped
:class:`~coach.delivery.Sender`; neither knows about Prometheus.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from coach.delivery import DeliveryError, RateLimited, Recipient, Sender, TemporaryFailure, Uncertain
from coach.messages import Reply
from coach.telemetry import Handled

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.messages_in = Counter(
            "encore_messages_in",
            "Events received from users (commands, button presses, text).",
            ["platform", "kind"],
            registry=self.registry,
        )
        self.messages_out = Counter(
            "encore_messages_out",
            "Messages sent to users: replies and proactive messages.",
            ["platform"],
            registry=self.registry,
        )
        self.handler_errors = Counter(
            "encore_handler_errors", "Events whose handling raised.", ["platform"], registry=self.registry
        )
        self.flow_completions = Counter(
            "encore_flow_completions", "Flows brought to their end.", ["flow"], registry=self.registry
        )
        self.checkins = Counter(
            "encore_checkins",
            "Proactive check-in deliveries by outcome: sent, failed, retried (an attempt after a failure), "
            "uncertain (timed out after going out: perhaps delivered, never resent).",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "encore_handler_seconds",
            "Time to handle one event, database included.",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def observe(self, event: Handled) -> None:
        """The coach's observer callback."""
        self.messages_in.labels(event.platform, event.kind).inc()
        self.latency.labels(event.platform).observe(event.seconds)
        if event.failed:
            self.handler_errors.labels(event.platform).inc()
            return
        self.messages_out.labels(event.platform).inc(event.replies)
        if event.completed:
            self.flow_completions.labels(event.completed).inc()

    def counting(self, sender: Sender) -> Sender:
        return CountingSender(sender, self)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class CountingSender:
    """A :class:`Sender` that counts what passes through it; failures still reach the caller.

    A delivery to a recipient whose previous attempt failed with a retryable error (rate limit, network
    trouble) counts as a retry.
    """

    def __init__(self, inner: Sender, metrics: Metrics) -> None:
        self.inner = inner
        self.platform = inner.platform
        self.metrics = metrics
        self._failed_before: set[int] = set()

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        counter = self.metrics.checkins
        if recipient.identity_id in self._failed_before:
            counter.labels(self.platform, "retried").inc()
        try:
            await self.inner.deliver(recipient, replies)
        except Uncertain:
            self._failed_before.discard(recipient.identity_id)
            counter.labels(self.platform, "uncertain").inc()
            raise
        except DeliveryError as error:
            counter.labels(self.platform, "failed").inc()
            if isinstance(error, RateLimited | TemporaryFailure):
                self._failed_before.add(recipient.identity_id)
            else:
                self._failed_before.discard(recipient.identity_id)
            raise
        self._failed_before.discard(recipient.identity_id)
        counter.labels(self.platform, "sent").inc()
        self.metrics.messages_out.labels(self.platform).inc(len(replies))
