// SPDX-License-Identifier: GPL-2.0
/*
 * The trace tools' reader, which tells each event's role from its kind
 * name and field names, and their small utilities: a hash map, a string
 * pool, and duration and JSON formatting.
 *
 * A kind is understood when its name is one of the table below and it
 * has every field the table lists, with a matching type (u64 and s64
 * count as one: both are numbers); extra fields are ignored, so a model
 * may add fields without breaking the tools.  Anything else is TT_NONE:
 * still counted, dumped and diffed, never paired.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/tt.h"

struct role_desc {
	const char *kind;
	const char *schema;		/* the fields the tools use, in their positions */
};

static const struct role_desc roles[TT_NR_ROLES] = {
	[TT_MMIO] = { "psl.mmio", "bar:u64 off:u64 width:u64 write:u64 val:u64 lat:u64" },
	[TT_CFG] = { "psl.cfg", "off:u64 width:u64 write:u64 val:u64 lat:u64" },
	[TT_STATE] = { "psl.state", "slice:s64 machine:str state:u64" },
	[TT_SPA_START] = { "psl.spa.start", "slice:u64 llcmd:u64" },
	[TT_SPA_DONE] = { "psl.spa.done", "slice:u64 llcmd:u64 status:u64 written:u64" },
	[TT_CTX] = { "psl.ctx", "slice:u64 pe:u64 state:u64 mode:u64" },
	[TT_FAULT] = { "psl.fault", "slice:u64 pe:u64 dsisr:u64 dar:u64" },
	[TT_FAULT_ANSWER] = { "psl.fault.answer", "slice:u64 pe:u64 tfc:s64 resp:u64" },
	[TT_PSL_IRQ] = { "psl.irq", "slice:s64 source:u64 lisn:u64 ivte:u64 sent:u64" },
	[TT_ERR] = { "psl.err", "slice:s64 reg:str bits:u64 value:u64" },
	[TT_IRQ_RAISE] = { "irq.raise", "hwirq:u64 due:u64" },
	[TT_IRQ_DELIVER] = { "irq.deliver", "hwirq:u64 handled:u64" },
	[TT_JOB] = { "psl.job", "slice:u64 jcom:u64 jea:u64" },
	[TT_JOB_ACK] = { "psl.job.ack", "slice:u64 what:str jerror:u64" },
	[TT_CLOCK] = { "psl.afu.clock", "slice:u64 on:u64 ticks:u64" },
	[TT_AFU_MMIO] = { "psl.afu.mmio", "slice:u64 cfg:u64 read:u64 dw:u64 ad:u64 data:u64" },
	[TT_AFU_MMACK] = { "psl.afu.mmack", "slice:u64 data:u64 lat:u64 timeout:u64" },
	[TT_CMD] = { "psl.cmd", "slice:u64 tag:u64 com:u64 ea:u64 size:u64 cabt:u64 cch:u64" },
	[TT_RESP] = { "psl.resp", "slice:u64 tag:u64 resp:u64 credits:s64 lat:u64" },
	[TT_BUF] = { "psl.buf", "slice:u64 tag:u64 to_afu:u64 half:u64" },
	[TT_BUF_DATA] = { "psl.buf.data", "slice:u64 tag:u64 to_afu:u64 data:bytes" },
	[TT_INJECT] = { "inject.fire", "point:str kind:u64 value:u64 delay:u64" },
	[TT_XLATE] = { "psl.cmd.xlate",
		       "slice:u64 tag:u64 ea:u64 status:u64 ra:u64 dsisr:u64 lat:u64" },
};

const char *tt_role_kind(enum tt_role role)
{
	return role < TT_NR_ROLES ? roles[role].kind : NULL;
}

static bool numeric(unsigned int type)
{
	return type == TRACE_U64 || type == TRACE_S64;
}

static bool types_match(unsigned int want, unsigned int have)
{
	return want == have || (numeric(want) && numeric(have));
}

/* Where each of @d's fields is in @k; false if one is missing or of another type. */
static bool resolve(const struct role_desc *d, const struct cxt_kind *k, u8 *idx)
{
	char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1];
	u8 types[TRACE_MAX_FIELDS];
	int n = trace_parse_schema(d->schema, types, names);
	unsigned int i, j;

	for (i = 0; i < (unsigned int)n; i++) {
		for (j = 0; j < k->nr_fields; j++)
			if (!strcmp(names[i], k->field_names[j]))
				break;
		if (j == k->nr_fields || !types_match(types[i], k->types[j]))
			return false;
		idx[i] = j;
	}
	return n >= 0;
}

static void classify(const struct cxt_kind *k, struct tt_kind *out)
{
	unsigned int r;

	out->role = TT_NONE;
	for (r = 1; r < TT_NR_ROLES; r++) {
		if (strcmp(roles[r].kind, k->name))
			continue;
		if (resolve(&roles[r], k, out->idx))
			out->role = r;
		return;
	}
}

static int grow_kinds(struct tt_reader *tr, unsigned int id)
{
	unsigned int n = id + 1 > 2 * tr->nr_kinds ? id + 1 : 2 * tr->nr_kinds;
	struct tt_kind *k = realloc(tr->kinds, n * sizeof(*k));
	bool *known;

	if (!k)
		return -ENOMEM;
	tr->kinds = k;
	known = realloc(tr->known, n * sizeof(*known));
	if (!known)
		return -ENOMEM;
	memset(known + tr->nr_kinds, 0, (n - tr->nr_kinds) * sizeof(*known));
	tr->known = known;
	tr->nr_kinds = n;
	return 0;
}

int tt_open(struct tt_reader *tr, const char *path, struct cxt_error *err)
{
	*tr = (struct tt_reader){ 0 };
	return cxt_open(path, 0, &tr->r, err);
}

void tt_close(struct tt_reader *tr)
{
	if (tr->r)
		cxt_close(tr->r);
	free(tr->kinds);
	free(tr->known);
	*tr = (struct tt_reader){ 0 };
}

int tt_next(struct tt_reader *tr, struct tt_ev *e, struct cxt_error *err)
{
	unsigned int id;
	int ret;

	ret = cxt_next(tr->r, &e->ev, err);
	if (ret <= 0)
		return ret;
	id = e->ev.kind;
	if (id >= tr->nr_kinds && grow_kinds(tr, id)) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	e->kind = cxt_kind(tr->r, id);
	e->src = cxt_source_name(tr->r, e->ev.src);
	if (!tr->known[id]) {
		classify(e->kind, &tr->kinds[id]);
		tr->known[id] = true;
	}
	e->role = tr->kinds[id].role;
	e->idx = tr->kinds[id].idx;
	e->index = tr->next_index++;
	return 1;
}

/* ---- Hash map ---- */

static u64 mix(u64 a, u64 b)
{
	u64 h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);

	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ h >> 32;
}

static struct tt_map_ent *slot(const struct tt_map *m, u64 a, u64 b)
{
	size_t i = mix(a, b) & (m->cap - 1);

	while (m->ent[i].val && (m->ent[i].a != a || m->ent[i].b != b))
		i = (i + 1) & (m->cap - 1);
	return &m->ent[i];
}

void *tt_map_get(const struct tt_map *m, u64 a, u64 b)
{
	return m->cap ? slot(m, a, b)->val : NULL;
}

static int map_grow(struct tt_map *m)
{
	struct tt_map old = *m;
	size_t i;

	m->cap = old.cap ? 2 * old.cap : 64;
	m->ent = calloc(m->cap, sizeof(*m->ent));
	if (!m->ent) {
		*m = old;
		return -ENOMEM;
	}
	for (i = 0; i < old.cap; i++)
		if (old.ent[i].val)
			*slot(m, old.ent[i].a, old.ent[i].b) = old.ent[i];
	free(old.ent);
	return 0;
}

int tt_map_put(struct tt_map *m, u64 a, u64 b, void *val)
{
	struct tt_map_ent *e;

	/* At most half full, so every probe ends at a free slot. */
	if (2 * (m->nr + 1) > m->cap && map_grow(m))
		return -ENOMEM;
	e = slot(m, a, b);
	if (!e->val)
		m->nr++;
	*e = (struct tt_map_ent){ .a = a, .b = b, .val = val };
	return 0;
}

void tt_map_free(struct tt_map *m)
{
	free(m->ent);
	*m = (struct tt_map){ 0 };
}

/* ---- String pool ---- */

struct pool_str {
	struct pool_str *next;		/* same hash */
	char s[];
};

static u64 str_hash(const char *s, size_t len)
{
	u64 h = 0xCBF29CE484222325ULL;	/* FNV-1a */

	while (len--) {
		h ^= (u8)*s++;
		h *= 0x100000001B3ULL;
	}
	return h;
}

const char *tt_intern(struct tt_pool *p, const char *s, size_t len)
{
	u64 h = str_hash(s, len);
	struct pool_str *head = tt_map_get(&p->map, h, 0), *n;

	for (n = head; n; n = n->next)
		if (!strncmp(n->s, s, len) && !n->s[len])
			return n->s;
	n = malloc(sizeof(*n) + len + 1);
	if (!n)
		return NULL;
	memcpy(n->s, s, len);
	n->s[len] = '\0';
	n->next = head;
	if (tt_map_put(&p->map, h, 0, n)) {
		free(n);
		return NULL;
	}
	return n->s;
}

void tt_pool_free(struct tt_pool *p)
{
	size_t i;

	for (i = 0; i < p->map.cap; i++) {
		struct pool_str *n = p->map.ent[i].val, *next;

		for (; n; n = next) {
			next = n->next;
			free(n);
		}
	}
	tt_map_free(&p->map);
}

/* ---- Formatting ---- */

char *tt_dur_str(u64 ps, char *buf, size_t len)
{
	static const struct {
		u64 div;
		const char *unit;
	} units[] = {
		{ 1000000000000ULL, "s" }, { 1000000000ULL, "ms" }, { 1000000ULL, "us" },
		{ 1000ULL, "ns" },
	};
	unsigned int i;
	u64 milli;

	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (ps < units[i].div)
			continue;
		/* Three decimals, rounded to nearest. */
		milli = (u64)(((unsigned __int128)ps * 1000 + units[i].div / 2) / units[i].div);
		snprintf(buf, len, "%llu.%03llu %s", (unsigned long long)(milli / 1000),
			 (unsigned long long)(milli % 1000), units[i].unit);
		return buf;
	}
	snprintf(buf, len, "%llu ps", (unsigned long long)ps);
	return buf;
}

void tt_json_us(FILE *out, u64 ps)
{
	fprintf(out, "%llu.%06llu", (unsigned long long)(ps / 1000000),
		(unsigned long long)(ps % 1000000));
}

void tt_json_str(FILE *out, const char *s, size_t len)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < len; i++) {
		u8 c = s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_field(FILE *out, const char *name, const struct trace_arg *a)
{
	const u8 *b = a->p;
	u32 i;

	tt_json_str(out, name, strlen(name));
	fputc(':', out);
	switch (a->type) {
	case TRACE_U64:
		fprintf(out, "\"0x%llx\"", (unsigned long long)a->u);
		break;
	case TRACE_S64:
		fprintf(out, "%lld", (long long)a->s);
		break;
	case TRACE_BYTES:
		fputc('"', out);
		for (i = 0; i < a->len; i++)
			fprintf(out, "%02x", b[i]);
		fputc('"', out);
		break;
	default:
		tt_json_str(out, a->p, a->len);
		break;
	}
}

void tt_json_fields(FILE *out, const struct tt_ev *e)
{
	unsigned int i;

	for (i = 0; i < e->ev.nr_fields; i++) {
		if (i)
			fputc(',', out);
		json_field(out, e->kind->field_names[i], &e->ev.f[i]);
	}
}
