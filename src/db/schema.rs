// Written by hand to match migrations/sqlite and migrations/postgres; a test checks that the two
// migration sets give the same tables and columns.

diesel::table! {
    users (id) {
        id -> Text,
        role -> Text,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        created_at -> Timestamp,
        token_version -> Integer,
        deactivated_at -> Nullable<Timestamp>,
        contact_by -> Nullable<Text>,
        phone_e164 -> Nullable<Text>,
    }
}

diesel::table! {
    members (user_id) {
        user_id -> Text,
        address -> Text,
        lat -> Double,
        lon -> Double,
        created_by -> Nullable<Text>,
        access_needs -> Nullable<Text>,
        emergency_name -> Nullable<Text>,
        emergency_phone -> Nullable<Text>,
        emergency_relation -> Nullable<Text>,
    }
}

diesel::table! {
    helpers (user_id) {
        user_id -> Text,
        home_lat -> Double,
        home_lon -> Double,
        max_distance_km -> Double,
        skills -> Text,
        vetting_status -> Text,
        vetting_expires_on -> Nullable<Date>,
        vetting_note -> Nullable<Text>,
        vetted_by -> Nullable<Text>,
        vetted_at -> Nullable<Timestamp>,
        availability -> Text,
        reach_min_lat -> Double,
        reach_max_lat -> Double,
        reach_min_lon -> Double,
        reach_max_lon -> Double,
    }
}

diesel::table! {
    help_requests (id) {
        id -> Text,
        member_id -> Text,
        created_by -> Text,
        category -> Text,
        description -> Text,
        status -> Text,
        window_start -> Timestamp,
        window_end -> Timestamp,
        duration_minutes -> Integer,
        lat -> Double,
        lon -> Double,
        helper_id -> Nullable<Text>,
        scheduled_start -> Nullable<Timestamp>,
        created_at -> Timestamp,
        assigned_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
        minutes_spent -> Nullable<Integer>,
        assigned_distance_km -> Nullable<Double>,
        series_id -> Nullable<Text>,
        occurs_on -> Nullable<Date>,
        address -> Nullable<Text>,
        area_name -> Nullable<Text>,
    }
}

diesel::table! {
    feedback (request_id) {
        request_id -> Text,
        member_id -> Text,
        helper_id -> Text,
        rating -> Integer,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        device -> Text,
        remember -> Bool,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        email -> Text,
        failed_at -> Timestamp,
        address -> Text,
    }
}

diesel::table! {
    places (postcode) {
        postcode -> Text,
        district -> Text,
        lat -> Double,
        lon -> Double,
    }
}

diesel::table! {
    service_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (scope, idem_key) {
        scope -> Text,
        idem_key -> Text,
        request_hash -> Text,
        status_code -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        subject_id -> Text,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
        on_behalf_of -> Nullable<Text>,
    }
}

diesel::table! {
    offers (id) {
        id -> Text,
        request_id -> Text,
        helper_id -> Text,
        status -> Text,
        score -> Double,
        distance_km -> Double,
        reasons -> Text,
        start_at -> Timestamp,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        responded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    member_blocks (member_id, helper_id) {
        member_id -> Text,
        helper_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        dedup_key -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        delivery -> Nullable<Text>,
        delivery_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox_attempts (id) {
        id -> Text,
        outbox_id -> Text,
        attempt -> Integer,
        worker -> Text,
        at -> Timestamp,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    concerns (id) {
        id -> Text,
        raised_by -> Text,
        about_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        category -> Text,
        description -> Text,
        urgency -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    concern_history (id) {
        id -> Text,
        concern_id -> Text,
        seq -> Integer,
        at -> Timestamp,
        by_id -> Text,
        status -> Text,
        note -> Text,
        referred_to -> Nullable<Text>,
        reference -> Nullable<Text>,
        closure_reason -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        review_on -> Nullable<Date>,
    }
}

diesel::table! {
    visits (request_id, helper_id) {
        request_id -> Text,
        helper_id -> Text,
        confirm_asked_at -> Nullable<Timestamp>,
        confirmed_at -> Nullable<Timestamp>,
        alerted_at -> Nullable<Timestamp>,
        checked_in_at -> Nullable<Timestamp>,
        checked_out_at -> Nullable<Timestamp>,
        ended -> Nullable<Text>,
        ended_at -> Nullable<Timestamp>,
        note -> Nullable<Text>,
        member_reminded_at -> Nullable<Timestamp>,
        eta -> Nullable<Timestamp>,
        late_note -> Nullable<Text>,
        no_check_in_alerted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    series (id) {
        id -> Text,
        member_id -> Text,
        created_by -> Text,
        category -> Text,
        description -> Text,
        every_weeks -> Integer,
        weekday -> Integer,
        window_start -> Text,
        window_end -> Text,
        timezone -> Text,
        duration_minutes -> Integer,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        lat -> Double,
        lon -> Double,
        status -> Text,
        helper_id -> Nullable<Text>,
        created_at -> Timestamp,
        paused_until -> Nullable<Date>,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        member_id -> Text,
        starts_on -> Date,
        ends_on -> Date,
        fee_pence -> Integer,
        paid_by -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_movements (id) {
        id -> Text,
        member_id -> Text,
        kind -> Text,
        request_id -> Nullable<Text>,
        amount_pence -> Nullable<Integer>,
        paid_by -> Nullable<Text>,
        note -> Nullable<Text>,
        created_by -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> Text,
        movement_id -> Text,
        account -> Text,
        minutes -> Integer,
        at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        title -> Text,
        description -> Text,
        place -> Text,
        lat -> Double,
        lon -> Double,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        capacity -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
    }
}

diesel::table! {
    event_signups (event_id, member_id) {
        event_id -> Text,
        member_id -> Text,
        status -> Text,
        seq -> Integer,
        needs_lift -> Bool,
        lift_request_id -> Nullable<Text>,
        signed_up_by -> Text,
        signed_up_at -> Timestamp,
        changed_at -> Timestamp,
        attended_at -> Nullable<Timestamp>,
    }
}

// SQLite only: the integer keys of its reach R*Trees (migrations/sqlite, 000004 and 000012).
diesel::table! {
    helper_reach_keys (id) {
        id -> BigInt,
        user_id -> Text,
    }
}

diesel::joinable!(offers -> help_requests (request_id));
diesel::joinable!(members -> users (user_id));
diesel::joinable!(helpers -> users (user_id));
diesel::joinable!(feedback -> help_requests (request_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    members,
    helpers,
    help_requests,
    feedback,
    refresh_tokens,
    login_failures,
    service_secrets,
    places,
    idempotency_keys,
    audit_log,
    offers,
    member_blocks,
    outbox,
    outbox_attempts,
    password_resets,
    concerns,
    concern_history,
    visits,
    series,
    memberships,
    ledger_movements,
    ledger_entries,
    events,
    event_signups,
    helper_reach_keys,
);

diesel::table! {
    action_links (token_hash) {
        token_hash -> Text,
        action -> Text,
        offer_id -> Nullable<Text>,
        request_id -> Text,
        helper_id -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    push_subscriptions (id) {
        id -> Text,
        user_id -> Text,
        endpoint -> Text,
        p256dh -> Text,
        auth -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(push_subscriptions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(push_subscriptions, users);
diesel::allow_tables_to_appear_in_same_query!(push_subscriptions, members);

diesel::table! {
    person_notes (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        body -> Text,
        written_by -> Text,
        created_at -> Timestamp,
        due_on -> Nullable<Date>,
        done_at -> Nullable<Timestamp>,
        done_by -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(person_notes, users);

diesel::table! {
    helper_checks (id) {
        id -> Text,
        helper_id -> Text,
        kind -> Text,
        reference -> Nullable<Text>,
        checked_on -> Date,
        note -> Nullable<Text>,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(helper_checks, users);

diesel::table! {
    texts_stopped (phone) {
        phone -> Text,
        stopped_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_codes (id) {
        id -> Text,
        user_id -> Text,
        phone -> Text,
        code_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        tries -> Integer,
        used_at -> Nullable<Timestamp>,
    }
}
diesel::allow_tables_to_appear_in_same_query!(sign_in_codes, users);

diesel::table! {
    doorstep_words (request_id) {
        request_id -> Text,
        helper_id -> Text,
        words -> Text,
        created_at -> Timestamp,
    }
}
diesel::allow_tables_to_appear_in_same_query!(doorstep_words, help_requests);
diesel::allow_tables_to_appear_in_same_query!(doorstep_words, users);

diesel::table! {
    calendar_feeds (user_id) {
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    helper_photos (helper_id) {
        helper_id -> Text,
        jpeg -> Binary,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    delegates (id) {
        id -> Text,
        member_id -> Text,
        delegate_id -> Nullable<Text>,
        email -> Text,
        name -> Text,
        can -> Text,
        token_hash -> Nullable<Text>,
        invited_by -> Text,
        invited_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
    }
}
diesel::allow_tables_to_appear_in_same_query!(delegates, users);
