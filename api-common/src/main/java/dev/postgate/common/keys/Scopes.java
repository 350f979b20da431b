package dev.postgate.common.keys;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The canonical scopes of SPEC section 2 (resource:action). */
public final class Scopes {
    public static final String ACCOUNT_READ = "account:read";
    public static final String CONTENT_READ = "content:read";
    public static final String CONTENT_GENERATE = "content:generate";
    public static final String IMAGES_READ = "images:read";
    public static final String IMAGES_GENERATE = "images:generate";
    public static final String VIDEOS_READ = "videos:read";
    public static final String VIDEOS_GENERATE = "videos:generate";
    public static final String MEDIA_READ = "media:read";
    public static final String MEDIA_WRITE = "media:write";
    public static final String POSTS_READ = "posts:read";
    public static final String POSTS_WRITE = "posts:write";
    public static final String POSTS_PUBLISH = "posts:publish";
    public static final String CALENDAR_READ = "calendar:read";
    public static final String CALENDAR_WRITE = "calendar:write";
    public static final String ANALYTICS_READ = "analytics:read";

    public static final List<String> ALL = List.of(ACCOUNT_READ, CONTENT_READ, CONTENT_GENERATE, IMAGES_READ,
            IMAGES_GENERATE, VIDEOS_READ, VIDEOS_GENERATE, MEDIA_READ, MEDIA_WRITE, POSTS_READ, POSTS_WRITE,
            POSTS_PUBLISH, CALENDAR_READ, CALENDAR_WRITE, ANALYTICS_READ);

    /** Scopes whose use spends credits. */
    public static final Set<String> SPENDING = Set.of(CONTENT_GENERATE, IMAGES_GENERATE, VIDEOS_GENERATE, POSTS_PUBLISH);

    private Scopes() {
    }

    public static Set<String> reads() {
        Set<String> reads = new TreeSet<>();
        ALL.stream().filter(s -> s.endsWith(":read")).forEach(reads::add);
        return reads;
    }
}
