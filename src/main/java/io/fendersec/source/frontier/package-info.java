/**
 * The read frontier of a bounded run: how far every reader may move event time without making any
 * log of the range late.
 *
 * <p>A bounded range is read in slices, several per reader in turn, oldest first to whichever reader
 * asks; a reader's watermark never goes back. A slice's own progress (the lowest time on the
 * snapshot page being read: pages are walked oldest first) is therefore not enough: the next slice
 * the same reader gets may be older. Only the enumerator knows what is still unread everywhere: the
 * slices not yet handed out and, from the readers' {@link io.fendersec.source.frontier.ReadProgress}
 * reports, how far each handed-out slice has got. It sends the oldest of these points
 * ({@link io.fendersec.source.frontier.ReadFrontier}) to the readers, and a reader's watermark never
 * passes it (nor its own slice's progress). This is the pattern of Flink's watermark alignment
 * (readers report, the coordinator announces a bound), carried by source events.
 */
package io.fendersec.source.frontier;
