package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.UTF8Order;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Turns {@link Store#listPage} into lazy streams that hold at most one page in memory. */
final class PagedListing {
    private PagedListing() {
    }

    static Stream<ObjectInfo> objects(Store store, Location prefix, int pageSize, boolean withPlaceholder) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive, was " + pageSize);
        }
        return StreamSupport.stream(new PageSpliterator<ObjectInfo>(store, prefix, false, pageSize) {
            @Override
            void accept(ListPage page, Deque<ObjectInfo> buffer) {
                if (withPlaceholder) {
                    page.placeholder().ifPresent(buffer::add);
                }
                buffer.addAll(page.objects());
            }
        }, false);
    }

    static Stream<Location> directories(Store store, Location prefix, int pageSize) {
        return StreamSupport.stream(new PageSpliterator<Location>(store, prefix, true, pageSize) {
            private String last;

            @Override
            void accept(ListPage page, Deque<Location> buffer) {
                for (String dir : page.directories()) {
                    // Common prefixes arrive in ascending order; some stores repeat earlier ones on every page.
                    if (last != null && UTF8Order.compare(dir, last) <= 0) {
                        continue;
                    }
                    last = dir;
                    String key = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
                    buffer.add(prefix.sameBucket(key));
                }
            }
        }, false);
    }

    private abstract static class PageSpliterator<T> extends Spliterators.AbstractSpliterator<T> {
        private final Store store;
        private final Location prefix;
        private final boolean delimited;
        private final int pageSize;
        private final Deque<T> buffer = new ArrayDeque<>();
        private String token;
        private boolean done;

        PageSpliterator(Store store, Location prefix, boolean delimited, int pageSize) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.store = store;
            this.prefix = prefix;
            this.delimited = delimited;
            this.pageSize = pageSize;
        }

        abstract void accept(ListPage page, Deque<T> buffer);

        @Override
        public boolean tryAdvance(Consumer<? super T> action) {
            while (buffer.isEmpty() && !done) {
                ListPage page = store.listPage(prefix, delimited, token, pageSize);
                accept(page, buffer);
                token = page.nextPageToken().orElse(null);
                done = token == null;
            }
            T next = buffer.poll();
            if (next == null) {
                return false;
            }
            action.accept(next);
            return true;
        }
    }
}
