-- Fixes from the review of 0040 and 0041 (issue 20). Replaces 0040's app.ai_reserve (a budget of 0
-- refuses every call, free ones included, as the settings promise) and 0041's
-- assistant_tasks_service_insert (only the contexts that record interactions queue tasks: ingest and
-- webhooks).
set local role palisade_owner;

drop policy assistant_tasks_service_insert on app.assistant_tasks;
create policy assistant_tasks_service_insert on app.assistant_tasks for insert to app_service
  with check (tenant_id = (select ctx.scoped_tenant_id()) and status = 'pending' and attempts = 0
              and pg_catalog.current_setting('palisade.purpose', true) in ('sync', 'webhook'));

reset role;
set local role palisade_definer;

create or replace function app.ai_reserve(p_purpose text, p_model text, p_reserve bigint, p_default_budget bigint)
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_budget bigint;
  v_spent bigint;
  v_id uuid := pg_catalog.gen_random_uuid();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) <> 'assistant' then
    raise exception 'the budget is reserved by the assistant of one tenant' using errcode = '42501';
  end if;
  if p_reserve is null or p_reserve < 0 or p_default_budget is null or p_default_budget < 0 then
    raise exception 'a reservation and a budget are zero or more' using errcode = '22023';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('palisade.ai_budget:' || v_tenant::text, 0));
  select coalesce(s.monthly_budget_micros, p_default_budget) into v_budget
  from app.ai_settings s where s.tenant_id = v_tenant;
  v_budget := coalesce(v_budget, p_default_budget);
  select coalesce(sum(coalesce(u.cost_micros, u.reserved_micros)), 0) into v_spent
  from app.ai_usage u
  where u.tenant_id = v_tenant and u.created_at >= pg_catalog.date_trunc('month', pg_catalog.now(), 'UTC');
  if v_budget = 0 or v_spent + p_reserve > v_budget then
    raise exception 'ai_budget_exhausted: this month''s AI budget is spent' using errcode = 'PA429';
  end if;
  insert into app.ai_usage (tenant_id, id, purpose, model, reserved_micros)
  values (v_tenant, v_id, p_purpose, p_model, p_reserve);
  return v_id;
end
$$;

reset role;
