-- A target given up without an answer from its platform (the calls timed out or could not reach it
-- for give-up-after) may still have been posted: the key of those calls, so that a retry of the post
-- asks the platform under the same key, which a connector must not post twice for. Null when the
-- platform answered, and for targets never given up.
alter table post_targets add column unanswered_delivery_key text;
