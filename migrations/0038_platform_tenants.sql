-- The platform admin's list of tenants (issue 19's platform pages). No policy gives platform admins
-- any tenant's rows, and none is added: this function returns only what an operator needs to run the
-- platform — each tenant's id, slug, name, status, creation time and number of active members —
-- never a tenant's CRM data, members or settings. Callers other than an enabled platform admin
-- (palisade.acting_platform, set only by 0031's ctx.enter for such a person) are refused. A page at a
-- time, in slug order, after p_after (keyset: the slug is unique); or the tenants named by p_slugs
-- (an incident names the tenants it affects).
set local role palisade_definer;

create function app.platform_tenants(p_after text, p_limit integer, p_slugs text[] default null)
returns table (id uuid, slug text, name text, status text, created_at timestamptz, active_members bigint)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not ctx.is_platform_admin() then
    raise exception 'only platform admins may list tenants' using errcode = '42501';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 201 then
    raise exception 'p_limit must be between 1 and 201' using errcode = '22023';
  end if;
  return query
    select t.id, t.slug, t.name, t.status, t.created_at,
           (select pg_catalog.count(*) from app.memberships m
             where m.tenant_id = t.id and m.status = 'active')
      from app.tenants t
     where (p_after is null or t.slug > p_after)
       and (p_slugs is null or t.slug = any(p_slugs))
     order by t.slug
     limit p_limit;
end
$$;
revoke execute on function app.platform_tenants(text, integer, text[]) from public;
grant execute on function app.platform_tenants(text, integer, text[]) to app_user;

reset role;
