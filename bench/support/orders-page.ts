/**
 * Page-side script of the orders benchmark, bundled with browserBundle and evaluated in the
 * workstation page (after it loaded): it uses the app's own modules on the page's real database
 * and the page's real cipher (keys from main through window.workstation, as the app gets them).
 *
 *   seed(options)    writes N local orders exactly as submitRecord (renderer/src/orders/local/submit.ts)
 *                    writes a synced one: ordinal, blind phone index, keyed search terms (orderTerms)
 *                    in the search index's postings (addPostings), the sealed view (sealOrder,
 *                    OrderSealed), sync 'synced' with the platform's id and number. Orders are
 *                    spread evenly over the time range, newest first, so that ordinals count up
 *                    with time as submits assign them. Text is generated (deterministic PRNG): Chinese names, titles and
 *                    contents of typical hotline matters, ~2,000 callers, a few repeat callers.
 *   search(queries)  times the app's searchOrders for each query (performance.now, in the page).
 *
 * The only shortcut: the keyed hash of each distinct bigram and the blind index of each distinct
 * number are computed once (the real cipher) and reused — their value is a pure function of the
 * key and the input, so every row is byte-for-byte what the app writes (checked against the
 * real cipher for the first orders).
 */
import './orders-zod-jitless';
import { mulberry32 } from '../../shared/base/prng';
import { emptyOrderForm, type OrderForm } from '../../shared/orders/order-form';
import type { OrderStatus } from '../../shared/orders/work-order';
import { shanghaiDate } from '../../shared/base/shanghai-time';
import { localCipher } from '../../renderer/src/local-data/keys';
import { bigrams, type LocalCipher } from '../../renderer/src/local-data/sealed';
import { openOrdersDb, type OrderRow, type OrdersDatabase } from '../../renderer/src/orders/local/local-db';
import { searchOrders, startOfShanghaiDay } from '../../renderer/src/orders/mine/my-orders';
import { orderSealedSchema, sealOrder, type OrderSealed } from '../../renderer/src/orders/local/records';
import { orderTerms } from '../../renderer/src/orders/local/submit';
import { addPostings, type IndexedOrder } from '../../renderer/src/orders/local/search-index';

export interface SeedOptions {
  count: number;
  callers: number;
  /** The benchmark caller's number: one of the repeat callers. */
  benchCaller: string;
  /** Orders created today (Asia/Shanghai); the rest spread over the 80 days before today. */
  today: number;
  chunk: number;
  seed: number;
  /** Log each chunk on the page's console. */
  progress?: boolean;
}

export interface SeedReport {
  ms: number;
  count: number;
  benchCallerOrders: number;
  todayOrders: number;
  termsPerOrder: number;
  distinctBigrams: number;
  /** Words present in the data, for the search mix. */
  sample: { numbers: string[]; names: string[]; rare: string; common: string; phrases: string[] };
}

export interface SearchTiming {
  query: string;
  kind: string;
  ms: number;
  hits: number;
}

declare global {
  interface Window {
    ordersBench: {
      seed(options: SeedOptions): Promise<SeedReport>;
      search(queries: { query: string; kind: string }[], warmup: number): Promise<SearchTiming[]>;
    };
  }
}

// ---- deterministic text -----------------------------------------------------------------------


const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '梁', '郑', '谢', '宋', '唐', '欧阳', '司徒', '冯', '邓', '曾'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '志强', '晓燕', '海燕', '国庆', '春梅', '子豪', '雨桐', '梓涵', '俊杰', '嘉怡', '永红', '淑珍'];
const DISTRICTS = ['清城区', '清新区', '英德市', '连州市', '佛冈县', '阳山县', '连山县', '连南县'];
const ESTATES = ['碧桂园', '金域华府', '凤城花园', '恒大名都', '时代倾城', '美林湖', '万科城', '富力院士廷', '保利中央公馆', '锦绣豪庭', '阳光嘉园', '东城御景', '滨江花园', '翠湖居', '龙塘新村', '石角镇政府宿舍'];
const ROADS = ['人民路', '先锋路', '连江路', '北江大道', '松岗大道', '建设路', '东城大道', '广清大道', '学府路', '新城东路'];
/** Appears in about one order in two thousand: the rare word of the search mix. */
const RARE = '锦绣山河苑';

interface Topic {
  title: string[];
  content: string[];
  requestType: OrderSealed['requestType'];
  disposition: OrderSealed['disposition'];
  category: string;
}

const TOPICS: Topic[] = [
  { title: ['噪音扰民', '夜间施工噪音扰民'], content: ['{place}附近工地夜间施工，噪音很大，严重影响休息', '{place}楼下商铺音响声音过大扰民'], requestType: 'complaint', disposition: 'dispatched', category: 'HB' },
  { title: ['路灯不亮', '小区路灯损坏'], content: ['{place}路灯连续{n}晚不亮，行人夜间出行存在安全隐患', '{place}一带路灯损坏多日无人维修'], requestType: 'help', disposition: 'dispatched', category: 'CS' },
  { title: ['停水咨询', '突然停水'], content: ['{place}从今天上午开始停水，没有收到停水通知', '{place}水压很低，高层住户无法正常用水'], requestType: 'consult', disposition: 'answered', category: 'SW' },
  { title: ['公积金提取', '公积金贷款咨询'], content: ['咨询住房公积金提取需要准备哪些材料，办理进度如何查询', '咨询公积金贷款额度怎么计算，{place}购房能否使用'], requestType: 'consult', disposition: 'answered', category: 'GJJ' },
  { title: ['社保转移', '养老保险咨询'], content: ['咨询养老保险关系从外省转入本市的办理流程', '咨询灵活就业人员社保缴费标准和缴费方式'], requestType: 'consult', disposition: 'answered', category: 'RS' },
  { title: ['拖欠工资', '讨薪求助'], content: ['在{place}的工地务工，老板拖欠工资{n}个月未发', '公司拖欠员工工资，多次讨要无果，请求劳动监察部门介入'], requestType: 'help', disposition: 'dispatched', category: 'RS' },
  { title: ['物业收费问题', '物业服务差'], content: ['{place}物业擅自提高物业费，未经业主大会同意', '{place}物业不作为，电梯经常故障没人维修'], requestType: 'complaint', disposition: 'dispatched', category: 'ZJ' },
  { title: ['违章建筑', '楼顶违建'], content: ['{place}有住户在楼顶违规搭建，存在安全隐患', '{place}一楼住户私自扩建占用公共绿地'], requestType: 'report', disposition: 'dispatched', category: 'ZJ' },
  { title: ['垃圾清运不及时', '垃圾堆放'], content: ['{place}垃圾桶满了{n}天没人清运，气味很大', '{place}路边建筑垃圾长期堆放无人处理'], requestType: 'complaint', disposition: 'dispatched', category: 'CS' },
  { title: ['占道经营', '流动摊贩'], content: ['{place}门口流动摊贩占道经营，影响交通', '{place}早市摊贩占用人行道，行人只能走机动车道'], requestType: 'complaint', disposition: 'dispatched', category: 'CS' },
  { title: ['医保报销咨询', '异地就医备案'], content: ['咨询异地就医备案如何办理，医保报销比例是多少', '咨询门诊慢性病医保报销需要哪些材料'], requestType: 'consult', disposition: 'answered', category: 'YB' },
  { title: ['学位申请', '入学咨询'], content: ['咨询孩子在{place}附近小学的学位申请条件', '咨询随迁子女入学需要准备的证明材料'], requestType: 'consult', disposition: 'answered', category: 'JY' },
  { title: ['公交线路建议', '公交班次太少'], content: ['建议增加{place}到市区的公交班次，高峰期等车时间太长', '{place}公交站台没有遮雨棚，建议增设'], requestType: 'suggestion', disposition: 'transferred', category: 'JT' },
  { title: ['燃气泄漏', '燃气安全隐患'], content: ['{place}楼道闻到明显燃气味道，请求紧急处理', '{place}燃气管道老化，担心存在泄漏风险'], requestType: 'help', disposition: 'emergency', category: 'RQ' },
  { title: ['油烟扰民', '餐馆油烟'], content: ['{place}楼下餐馆油烟直排，住户无法开窗', '{place}烧烤店油烟和噪音扰民到凌晨'], requestType: 'complaint', disposition: 'dispatched', category: 'HB' },
  { title: ['道路破损', '路面坑洼'], content: ['{place}路面出现大坑，已有电动车摔倒', '{place}井盖松动，车辆经过响声很大'], requestType: 'report', disposition: 'dispatched', category: 'JT' },
  { title: ['消费纠纷', '预付卡退费'], content: ['在{place}一家健身房办了预付卡，现在商家跑路无法退费', '网购商品质量问题，商家拒绝退货'], requestType: 'complaint', disposition: 'transferred', category: 'SC' },
  { title: ['户籍办理咨询', '身份证补办'], content: ['咨询新生儿落户需要哪些材料，在哪里办理', '咨询身份证丢失后补办的流程和时间'], requestType: 'consult', disposition: 'answered', category: 'GA' },
  { title: ['暴雨积水', '道路积水'], content: ['{place}暴雨后积水严重，车辆无法通行', '{place}地下车库进水，请求排水'], requestType: 'help', disposition: 'dispatched', category: 'SW' },
  { title: ['不予受理', '涉诉问题'], content: ['来电人询问已经进入诉讼程序的合同纠纷能否由热线处理', '来电人要求热线撤销法院判决'], requestType: 'help', disposition: 'notAccepted', category: '' },
];
const ASKS = ['希望相关部门尽快处理。', '请相关部门核实处理并回复来电人。', '要求给予答复。', '请尽快派人查看。', ''];

class Generator {
  private readonly rnd: () => number;
  constructor(seed: number) {
    this.rnd = mulberry32(seed);
  }

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  chance(p: number): boolean {
    return this.rnd() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }

  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.int(4)]}${this.hex(3)}-${this.hex(12)}`;
  }

  mobile(): string {
    const prefixes = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '157', '158', '159', '177', '180', '181', '186', '187', '188', '189', '199'];
    let s = this.pick(prefixes);
    while (s.length < 11) s += String(this.int(10));
    return s;
  }

  name(): string {
    return this.pick(SURNAMES) + this.pick(GIVEN) + (this.chance(0.3) ? this.pick(GIVEN).slice(0, 1) : '');
  }

  place(): string {
    const estate = this.chance(0.0005) ? RARE : this.pick(ESTATES);
    return this.chance(0.5) ? `${this.pick(DISTRICTS)}${estate}` : `${this.pick(ROADS)}${estate}${this.chance(0.5) ? `${1 + this.int(30)}栋` : ''}`;
  }

  text(template: string): string {
    return template.replace('{place}', () => this.place()).replace('{n}', () => String(2 + this.int(6)));
  }
}

// ---- the cipher's pure parts, computed once per distinct input --------------------------------

/** The same answers as `cipher` (terms in the same order), each distinct bigram / number hashed once. */
function memoCipher(cipher: LocalCipher): LocalCipher & { distinct(): number } {
  const termOf = new Map<string, Promise<string>>();
  const phoneOf = new Map<string, Promise<string>>();
  const term = (g: string) => {
    let h = termOf.get(g);
    if (!h) {
      // A bigram is its own only bigram: cipher.terms(g) is the keyed hash of g.
      h = cipher.terms(g).then((x) => x[0]!);
      termOf.set(g, h);
    }
    return h;
  };
  return {
    seal: (value, id) => cipher.seal(value, id),
    open: (sealed, id) => cipher.open(sealed, id),
    index: (value) => cipher.index(value),
    phoneIndex(phone) {
      let h = phoneOf.get(phone);
      if (!h) {
        h = cipher.phoneIndex(phone);
        phoneOf.set(phone, h);
      }
      return h;
    },
    async terms(...texts) {
      const all = new Set<string>();
      for (const t of texts) for (const g of bigrams(t)) all.add(g);
      return Promise.all([...all].map(term));
    },
    distinct: () => termOf.size,
  };
}

// ---- seeding ------------------------------------------------------------------------------------

const DAY = 24 * 60 * 60 * 1000;
const STATUS_OF: Record<string, OrderStatus> = { answered: 'closed', dispatched: 'dispatched', transferred: 'transferred', emergency: 'closed', notAccepted: 'closed' };

interface Caller {
  phone: string;
  name: string;
}

async function seed(o: SeedOptions): Promise<SeedReport> {
  const started = performance.now();
  const cipher = await localCipher();
  const memo = memoCipher(cipher);
  const db = openOrdersDb();
  await db.open();
  const g = new Generator(o.seed);

  // Ten repeat callers (the bench caller first) share 2% of the orders; the rest go to the others.
  const callers: Caller[] = [{ phone: o.benchCaller, name: '欧阳娜娜' }];
  const seen = new Set([o.benchCaller]);
  while (callers.length < o.callers) {
    const phone = g.mobile();
    if (seen.has(phone)) continue;
    seen.add(phone);
    callers.push({ phone, name: g.chance(0.1) ? '' : g.name() });
  }
  const REPEAT = Math.min(10, callers.length);

  const now = Date.now();
  const todayStart = startOfShanghaiDay(now);
  const seqByDay = new Map<string, number>();
  let benchCallerOrders = 0;
  let todayOrders = 0;
  let terms = 0;

  const build = async (i: number): Promise<[OrderRow, OrderForm, IndexedOrder]> => {
    const caller = g.chance(0.02) ? callers[g.int(REPEAT)]! : callers[REPEAT + g.int(callers.length - REPEAT)] ?? callers[0]!;
    if (caller.phone === o.benchCaller) benchCallerOrders++;
    const isToday = i < o.today;
    if (isToday) todayOrders++;
    // Newest first: order i is older than order i - 1 (its ordinal, count - i, is lower).
    const createdAt = Math.round(
      isToday ? todayStart + Math.max(1, now - todayStart - 60_000) * (1 - (i + 0.5) / o.today) : todayStart - 80 * DAY * ((i - o.today + 0.5) / Math.max(1, o.count - o.today)),
    );
    const topic = g.pick(TOPICS);
    const title = g.pick(topic.title);
    const content = `来电人${g.chance(0.5) ? '反映' : '称'}${g.text(g.pick(topic.content))}，${g.pick(ASKS)}`;
    const form: OrderForm = emptyOrderForm({
      channel: 'phone',
      requestType: topic.requestType,
      categoryCode: topic.category,
      disposition: topic.disposition,
      title,
      content,
      callerName: caller.name,
      callerPhone: caller.phone,
      contact: caller.phone,
    });
    const id = g.uuid();
    const day = shanghaiDate(createdAt);
    const seq = (seqByDay.get(day) ?? 0) + 1;
    seqByDay.set(day, seq);
    const confidential = g.chance(0.02);
    // As submit.ts sealedView builds it.
    const view: OrderSealed = {
      title: (form.title.trim() || form.content.trim()).slice(0, 100),
      requestType: form.requestType,
      categoryCode: form.categoryCode,
      disposition: form.disposition,
      channel: form.channel,
      callerPhone: form.callerPhone,
      callerName: form.callerName.trim().slice(0, 200),
    };
    const status = STATUS_OF[topic.disposition] ?? 'closed';
    // Every draw from the generator happens before the first await (rows are built concurrently).
    const orderId = g.uuid();
    const updatedAt = createdAt + 1_000 + g.int(60_000);
    const rowTerms = await orderTerms(memo, form);
    terms += rowTerms.length;
    const n = o.count - i;
    const row: OrderRow = {
      id,
      kind: 'order',
      createdAt,
      updatedAt,
      sync: 'synced',
      phoneIndex: await memo.phoneIndex(caller.phone),
      n,
      orderId,
      orderNo: `QY${day.replace(/-/g, '')}${String(seq).padStart(6, '0')}`,
      status,
      open: status === 'dispatched' || status === 'transferred',
      confidential,
      sealed: await sealOrder(cipher, id, orderSealedSchema.parse(view)),
    };
    return [row, form, { n, createdAt, terms: rowTerms }];
  };

  // The shortcut must not change a byte: the first orders' terms and index against the real cipher.
  const check = async (row: OrderRow, form: OrderForm, indexed: IndexedOrder) => {
    const terms = await orderTerms(cipher, form);
    if (terms.join() !== indexed.terms.join()) throw new Error('seed: memoised terms differ from the cipher’s');
    if ((await cipher.phoneIndex(form.callerPhone)) !== row.phoneIndex) throw new Error('seed: phone index differs from the cipher’s');
  };

  let written = 0;
  let pendingWrite: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < o.count; start += o.chunk) {
    const n = Math.min(o.chunk, o.count - start);
    // Built in order (the generator is sequential), sealed and hashed concurrently.
    const built = await Promise.all(Array.from({ length: n }, (_, k) => build(start + k)));
    if (start === 0) for (const [row, form, indexed] of built.slice(0, 5)) await check(row, form, indexed);
    const rows = built.map(([row]) => row);
    const indexed = built.map(([, , x]) => x);
    await pendingWrite;
    const chunkStart = performance.now();
    pendingWrite = db
      .transaction('rw', [db.orders, db.postings, db.meta], async () => {
        await db.orders.bulkAdd(rows);
        await addPostings(db, indexed);
        // The ordinal counter: the next submit continues after the newest seeded order.
        await db.meta.put({ key: 'orderOrdinal', value: o.count });
      })
      .then(() => o.progress && console.log(`orders-seed: ${start + n} rows, chunk written in ${Math.round(performance.now() - chunkStart)} ms, ${Math.round(performance.now() - started)} ms in all`));
    written += n;
  }
  await pendingWrite;
  db.close();

  const numbers = callers.slice(0, 40).map((c) => c.phone);
  return {
    ms: performance.now() - started,
    count: written,
    benchCallerOrders,
    todayOrders,
    termsPerOrder: terms / Math.max(1, written),
    distinctBigrams: memo.distinct(),
    sample: {
      numbers,
      names: callers
        .slice(1, 60)
        .map((c) => c.name)
        .filter(Boolean),
      rare: RARE,
      common: '来电人',
      phrases: ['路灯', '噪音扰民', '公积金', '拖欠工资', '物业费', '燃气', '油烟', '积水', '学位申请', '违规搭建', '医保报销', '碧桂园', '人民路', '清城区'],
    },
  };
}

// ---- search ---------------------------------------------------------------------------------

let searchDb: OrdersDatabase | undefined;

async function search(queries: { query: string; kind: string }[], warmup: number): Promise<SearchTiming[]> {
  const cipher = await localCipher();
  searchDb ??= openOrdersDb();
  await searchDb.open();
  const db = searchDb;
  for (const q of queries.slice(0, warmup)) await searchOrders(db, cipher, q.query, []);
  const out: SearchTiming[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const hits = await searchOrders(db, cipher, q.query, []);
    out.push({ ...q, ms: performance.now() - t0, hits: hits.length });
    // Queries come one at a time (an agent typing and reading), not back to back.
    await new Promise((r) => setTimeout(r, 5));
  }
  return out;
}

window.ordersBench = { seed, search };
