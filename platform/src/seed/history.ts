/**
 * Historical work orders: the demo city's last 90 days (about 400 orders, ~30 repeat callers,
 * ~15 % still open, some confidential), and `seedCallerHistory` for tests that need a caller with
 * earlier orders. Generation is deterministic (seeded PRNG, dates relative to a base day) and the
 * orders are written in one statement through the same column encryption as real orders
 * (`inputColumns`), with their change-feed entries. Order numbers use 900001+ of each day, clear
 * of the live sequence; ids derive from a key, so loading the same history again adds nothing.
 */
import crypto from 'node:crypto';
import type { AreaNode } from '../../../shared/directory/routes';
import type { DeadlinePolicy } from '../../../shared/directory/deadline-policy';
import type { WorkCalendar } from '../../../shared/directory/working-days';
import { deadlineFor } from '../../../shared/orders/deadline';
import { mulberry32 as prng } from '../../../shared/base/prng';
import { shanghaiDate } from '../../../shared/base/shanghai-time';
import type { OrderInput, OrderStatus } from '../../../shared/orders/work-order';
import type { Queryable } from '../db/database';
import { loadWorkCalendar } from '../directory/calendar';
import { getDeadlinePolicy } from '../directory/reference';
import { inputColumns } from '../orders/repository';
import type { PersonalDataCipher } from '../security/personal-data';

type HistoryAction = 'create' | 'submit' | 'return' | 'extend' | 'reply' | 'close' | 'callback';

export interface HistoryOrder {
  /** Stable identity: the order's id and clientOrderId derive from it. */
  key: string;
  input: OrderInput;
  status: OrderStatus;
  createdAt: Date;
  /** Account of the agent who took the call. */
  account: string;
  returnCount: number;
  extensionDays: number;
  callback?: { solved: boolean; satisfied: boolean };
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const int = (rnd: () => number, min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));

/** Deterministic UUID (version-5 layout) from a key. */
function keyedUuid(key: string): string {
  const h = crypto.createHash('sha256').update(`hotline-history:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '166', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '198', '199'];
const SURNAMES = ['陈', '李', '黄', '张', '刘', '林', '梁', '何', '罗', '吴', '郑', '谢', '邓', '冯', '曾', '彭', '苏', '潘', '钟', '朱', '赖', '邱', '叶', '温'];
const GIVEN = ['伟', '芳', '敏', '静', '强', '丽', '军', '洁', '勇', '艳', '杰', '娟', '涛', '明', '华', '玲', '斌', '霞', '志强', '秀英', '建华', '国平', '丽华', '少玲', '伟东', '家豪', '嘉欣', '婉婷', '俊杰', '振东'];
const ESTATES = ['凤翔花园', '金泽园', '江南明珠', '时代倾城', '奥园广场', '万科城', '恒大御景', '富康花园', '锦绣华庭', '新城小区', '建设新村', '东湖苑'];
const ROADS = ['人民路', '解放路', '建设路', '中山路', '沿江路', '新华路', '环城路', '文化路', '先锋路', '北江路'];
const DISTRICT_UNITS: Readonly<Record<string, string>> = {
  清城区: 'QY-QC',
  清新区: 'QY-QX',
  英德市: 'QY-YD',
  连州市: 'QY-LZ',
  佛冈县: 'QY-FG',
  阳山县: 'QY-YS',
  连山壮族瑶族自治县: 'QY-LS',
  连南瑶族自治县: 'QY-LN',
};

/** Used when no area tree is given (tests on an empty reference set). */
export const DEFAULT_AREAS: AreaNode[] = [
  { code: '441802', name: '清城区', kind: 'district', children: ['凤城街道', '东城街道', '洲心街道', '横荷街道'].map((name, i) => ({ code: `441802${String(i + 1).padStart(3, '0')}`, name, kind: 'street' as const, children: [] })) },
  { code: '441803', name: '清新区', kind: 'district', children: ['太和镇', '山塘镇'].map((name, i) => ({ code: `441803${String(i + 1).padStart(3, '0')}`, name, kind: 'street' as const, children: [] })) },
];

interface Template {
  category: string;
  type: OrderInput['requestType'];
  disposition: OrderInput['disposition'];
  /** Handling unit; 'district' = the district's government (属地管理优先). */
  unit?: string;
  dialled?: string;
  transferTarget?: string;
  emergencyLine?: OrderInput['emergencyLine'];
  notAcceptedReason?: string;
  /** Titles prefixed with the street name (a local matter). */
  local?: boolean;
  title: string;
  /** {addr} = street + detail, {street} = street. */
  content: string;
  summary?: string;
}

const TEMPLATES: readonly Template[] = [
  { category: '05.05.01', type: 'complaint', disposition: 'dispatched', unit: 'district', local: true, title: '工地夜间施工噪音扰民', content: '来电人反映{addr}附近工地夜间22点后仍在施工，噪音很大，严重影响休息，要求相关部门核查处理。', summary: '来电人反映夜间噪声扰民，要求相关部门核查处理并回复。' },
  { category: '06.01.02', type: 'complaint', disposition: 'dispatched', unit: 'QY-STHJJ', local: true, title: '餐饮店油烟直排影响居民', content: '来电人反映{addr}楼下一家餐饮店油烟未经净化直接排放，气味刺鼻，窗户都不敢开，要求查处。' },
  { category: '05.01.01', type: 'complaint', disposition: 'dispatched', unit: 'district', local: true, title: '流动摊贩占道经营', content: '来电人反映{addr}路段每晚有流动摊贩占道经营，造成交通拥堵，垃圾随意丢弃，要求整治。' },
  { category: '05.03.02', type: 'help', disposition: 'dispatched', unit: 'district', local: true, title: '路灯损坏不亮', content: '来电人反映{addr}附近有多盏路灯不亮已有一周，夜间出行不安全，请求尽快维修。' },
  { category: '05.03.01', type: 'help', disposition: 'dispatched', unit: 'district', local: true, title: '道路破损坑洼积水', content: '来电人反映{addr}路面出现多处坑洼，下雨后积水严重，电动车行驶存在安全隐患，请求修复。' },
  { category: '05.03.03', type: 'help', disposition: 'dispatched', unit: 'district', local: true, title: '井盖缺失存在安全隐患', content: '来电人反映{addr}人行道上一处井盖缺失，现仅用杂物遮挡，担心行人跌落，请求尽快补装。' },
  { category: '14.01', type: 'complaint', disposition: 'dispatched', unit: 'QY-WATER', local: true, title: '小区停水未提前通知', content: '来电人反映{addr}从今天上午开始停水，事先未收到任何通知，家中有老人小孩生活不便，询问何时恢复供水。' },
  { category: '14.02', type: 'help', disposition: 'dispatched', unit: 'QY-POWER', dialled: '12345', title: '近期频繁停电', content: '来电人反映{addr}近一周多次无故停电，每次持续一两个小时，请求供电部门检查线路。' },
  { category: '14.03', type: 'consult', disposition: 'answered', title: '管道燃气开户办理咨询', content: '来电人咨询新房如何办理管道燃气开户，已告知所需材料及办理渠道。' },
  { category: '01.02.02', type: 'consult', disposition: 'answered', dialled: '12333', title: '社保缴费记录查询方式', content: '来电人咨询如何查询本人社保缴费记录，已告知可通过“粤省事”小程序或社保卡自助终端查询。' },
  { category: '01.04.02', type: 'consult', disposition: 'answered', dialled: '12333', title: '养老金领取资格认证', content: '来电人咨询退休人员养老金领取资格认证的时间和方式，已按知识库答复。' },
  { category: '01.06', type: 'consult', disposition: 'answered', dialled: '12333', title: '社保卡补办咨询', content: '来电人社保卡遗失，咨询补办地点和所需材料，已告知可到合作银行网点办理。' },
  { category: '02.01.02', type: 'consult', disposition: 'answered', dialled: '12329', title: '公积金提取条件咨询', content: '来电人咨询租房提取住房公积金的条件和额度，已按知识库答复。' },
  { category: '02.01.03', type: 'consult', disposition: 'answered', dialled: '12329', title: '公积金贷款额度咨询', content: '来电人咨询购买首套房公积金贷款最高额度及计算方式，已答复。' },
  { category: '11.03', type: 'complaint', disposition: 'dispatched', unit: 'QY-RSJ', dialled: '12333', title: '公司拖欠工资', content: '来电人反映其在{addr}附近一家公司工作，公司已拖欠两个月工资共计约1.2万元，多次讨要无果，要求协调追讨。' },
  { category: '03.01.03', type: 'complaint', disposition: 'dispatched', unit: 'QY-SCJ', dialled: '12315', title: '健身房停业预付卡无法退费', content: '来电人反映{addr}一家健身房突然停业，其办理的年卡还剩8个月，剩余费用无法退还，要求协助维权。' },
  { category: '03.02.01', type: 'report', disposition: 'dispatched', unit: 'QY-SCJ', dialled: '12315', local: true, title: '快餐店后厨卫生差', content: '来电人举报{addr}一家快餐店后厨卫生条件差，有老鼠出没，食材随意堆放在地上，要求检查。' },
  { category: '03.03', type: 'complaint', disposition: 'dispatched', unit: 'QY-SCJ', title: '超市商品标价与结算价不符', content: '来电人反映在{addr}一家超市购物，货架标价与收银结算价格不一致，要求查处。' },
  { category: '04.02.01', type: 'suggestion', disposition: 'dispatched', unit: 'QY-BUS', title: '建议增加公交高峰班次', content: '来电人建议增加途经{street}的公交线路早晚高峰班次，目前候车时间经常超过30分钟。' },
  { category: '04.01.04', type: 'suggestion', disposition: 'dispatched', unit: 'QY-JJZD', local: true, title: '路口信号灯时长不合理', content: '来电人反映{addr}路口左转信号灯时间过短，高峰期车辆排队很长，建议调整配时。' },
  { category: '07.02.01', type: 'consult', disposition: 'answered', title: '小学一年级报名时间', content: '来电人咨询孩子小学一年级入学报名的时间和需要准备的材料，已按知识库答复。' },
  { category: '07.05.01', type: 'report', disposition: 'dispatched', unit: 'QY-JYJ', title: '校外培训机构违规收费', content: '来电人举报{addr}一家校外培训机构一次性收取超过三个月的培训费用，要求查处。' },
  { category: '08.01.01', type: 'complaint', disposition: 'dispatched', unit: 'QY-WJJ', dialled: '12320', title: '医院门诊候诊时间过长', content: '来电人反映在市区一家医院就诊，挂号后等候超过三小时，现场秩序混乱，要求改进服务。' },
  { category: '08.03', type: 'consult', disposition: 'answered', title: '医保异地就医备案', content: '来电人咨询长期在外地居住如何办理医保异地就医备案，已告知线上办理方式。' },
  { category: '10.02', type: 'help', disposition: 'dispatched', unit: 'QY-MZJ', title: '申请居家养老服务', content: '来电人反映家中老人独居，行动不便，居住在{addr}，咨询并申请社区居家养老上门服务。' },
  { category: '09.01', type: 'consult', disposition: 'answered', title: '户口迁移所需材料', content: '来电人咨询将户口从外省迁入清远需要准备哪些材料，已按知识库答复。' },
  { category: '06.03.01', type: 'complaint', disposition: 'dispatched', unit: 'district', local: true, title: '广场舞音响声音过大', content: '来电人反映{addr}附近广场每晚广场舞音响声音过大，持续到晚上十点后，影响居民休息。', summary: '来电人反映夜间噪声扰民，要求相关部门核查处理并回复。' },
  { category: '02.05.01', type: 'complaint', disposition: 'dispatched', unit: 'QY-ZJJ', title: '物业服务不到位', content: '来电人反映{addr}所在小区物业长期不清理楼道垃圾，电梯故障多次报修未处理，要求督促整改。' },
  { category: '05.06', type: 'help', disposition: 'dispatched', unit: 'district', local: true, title: '流浪犬聚集存在伤人隐患', content: '来电人反映{addr}附近有多只流浪犬聚集，曾追咬路过的小孩，请求相关部门处理。' },
  { category: '12.01', type: 'consult', disposition: 'answered', dialled: '12316', title: '耕地地力保护补贴发放时间', content: '来电人咨询今年耕地地力保护补贴的发放时间和标准，已按知识库答复。' },
  { category: '06.02.02', type: 'report', disposition: 'dispatched', unit: 'QY-SLJ', local: true, title: '河道有人倾倒建筑垃圾', content: '来电人举报{addr}附近河道边经常有人夜间倾倒建筑垃圾，污染河道，要求查处。' },
  { category: '05.02', type: 'report', disposition: 'dispatched', unit: 'district', local: true, title: '楼顶违法搭建', content: '来电人举报{addr}有住户在楼顶违法搭建铁皮房，存在安全隐患，要求查处。' },
  { category: '13.01', type: 'consult', disposition: 'transferred', transferTarget: 'QY-12366', title: '个税专项附加扣除咨询', content: '来电人咨询子女教育专项附加扣除如何填报，已三方转接12366纳税缴费服务热线。' },
  { category: '02.04.02', type: 'complaint', disposition: 'notAccepted', notAcceptedReason: 'litigation', title: '房屋买卖合同纠纷', content: '来电人反映与卖方的二手房买卖合同纠纷，对方已起诉至法院，要求热线介入。已告知通过人民法院依法解决。' },
  { category: '11.03', type: 'complaint', disposition: 'notAccepted', notAcceptedReason: 'arbitration', title: '劳动合同解除争议', content: '来电人对公司解除劳动合同的补偿金额有异议，已告知可向劳动人事争议仲裁院申请仲裁。' },
  { category: '16.03', type: 'help', disposition: 'emergency', emergencyLine: '119', local: true, title: '小区附近有浓烟', content: '来电人反映{addr}附近一处空置厂房冒出浓烟，已告知立即拨打119火警电话并协助转接。' },
];

/** A valid Chinese mobile number. */
function mobile(rnd: () => number): string {
  return pick(rnd, MOBILE_PREFIXES) + String(int(rnd, 0, 99_999_999)).padStart(8, '0');
}

interface Person {
  phone: string;
  name: string;
  gender: 'male' | 'female';
  address: { district: string; street: string; detail: string };
}

function person(rnd: () => number, areas: readonly AreaNode[], phone?: string): Person {
  const district = pick(rnd, areas);
  const street = district.children.length ? pick(rnd, district.children).name : district.name;
  const detail = rnd() < 0.6 ? `${pick(rnd, ESTATES)}${int(rnd, 1, 18)}栋${int(rnd, 1, 3)}单元` : `${pick(rnd, ROADS)}${int(rnd, 1, 288)}号`;
  const gender = rnd() < 0.5 ? 'male' : 'female';
  // Landlines (0763 is Qingyuan) for about one caller in twelve.
  const number = phone ?? (rnd() < 0.08 ? `0763${int(rnd, 3_000_000, 6_999_999)}` : mobile(rnd));
  return { phone: number, name: pick(rnd, SURNAMES) + pick(rnd, GIVEN), gender, address: { district: district.name, street, detail } };
}

function actionsTo(status: OrderStatus, disposition: OrderInput['disposition']): HistoryAction[] {
  if (disposition !== 'dispatched' && disposition !== 'transferred') return ['create', 'submit'];
  if (disposition === 'transferred') return status === 'closed' ? ['create', 'submit', 'close'] : ['create', 'submit'];
  const paths: Partial<Record<OrderStatus, HistoryAction[]>> = {
    dispatched: ['create', 'submit'],
    extended: ['create', 'submit', 'extend'],
    returned: ['create', 'submit', 'return'],
    replied: ['create', 'submit', 'reply'],
    closed: ['create', 'submit', 'reply', 'close'],
    calledBack: ['create', 'submit', 'reply', 'close', 'callback'],
  };
  return paths[status] ?? ['create', 'submit'];
}

const STATUS_AFTER: Record<HistoryAction, (submitted: OrderStatus) => OrderStatus> = {
  create: () => 'draft',
  submit: (s) => s,
  return: () => 'returned',
  extend: () => 'extended',
  reply: () => 'replied',
  close: () => 'closed',
  callback: () => 'calledBack',
};

function buildOrder(
  rnd: () => number,
  key: string,
  who: Person,
  template: Template,
  createdAt: Date,
  opts: { open: boolean; confidential: boolean; account: string; articles: ReadonlyMap<string, string> },
): HistoryOrder {
  const addr = `${who.address.street}${who.address.detail}`;
  const content = template.content.replaceAll('{addr}', addr).replaceAll('{street}', who.address.street);
  const title = template.local ? `${who.address.street}${template.title}` : template.title;
  const d = template.disposition;
  const input: OrderInput = {
    channel: rnd() < 0.85 ? 'phone' : pick(rnd, ['wechat', 'web', 'app', 'miniProgram'] as const),
    requestType: template.type,
    categoryCode: template.category,
    urgency: d === 'dispatched' && rnd() < 0.05 ? 'urgent' : 'normal',
    confidential: opts.confidential,
    title,
    content,
    caller: { name: who.name, phone: who.phone, gender: who.gender, callerType: 'citizen' },
    address: who.address,
    disposition: d,
  };
  if (template.summary) input.summary = template.summary;
  if (d === 'dispatched') input.handlingUnit = template.unit === 'district' ? (DISTRICT_UNITS[who.address.district] ?? 'QY-CGJ') : template.unit;
  if (d === 'answered') input.knowledgeArticleId = opts.articles.get(template.category) ?? opts.articles.get(template.category.slice(0, 2)) ?? 'kb-0001';
  if (d === 'transferred') input.transferTarget = template.transferTarget;
  if (d === 'emergency') input.emergencyLine = template.emergencyLine;
  if (d === 'notAccepted') input.notAcceptedReason = template.notAcceptedReason;
  if (input.channel === 'phone') {
    const ring = createdAt.getTime() - int(rnd, 120, 600) * 1000;
    const answer = ring + int(rnd, 2, 14) * 1000;
    input.call = {
      callId: `hist-${key}`,
      dialled: template.dialled ?? '12345',
      ringAt: new Date(ring).toISOString(),
      answerAt: new Date(answer).toISOString(),
      endAt: new Date(answer + int(rnd, 60, 420) * 1000).toISOString(),
    };
  }
  let status: OrderStatus;
  if (d === 'dispatched') {
    const r = rnd();
    status = opts.open ? (r < 0.5 ? 'dispatched' : r < 0.7 ? 'extended' : r < 0.8 ? 'returned' : 'replied') : r < 0.6 ? 'calledBack' : 'closed';
  } else status = 'closed';
  const order: HistoryOrder = { key, input, status, createdAt, account: opts.account, returnCount: status === 'returned' ? 1 : 0, extensionDays: status === 'extended' ? 5 : 0 };
  if (status === 'calledBack') order.callback = { solved: rnd() < 0.85, satisfied: rnd() < 0.8 };
  return order;
}

/** Article ids by category (exact code and top level), for orders answered from the knowledge base. */
export function articlesByCategory(articles: readonly { id: string; categoryCode?: string }[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of articles) {
    if (!a.categoryCode) continue;
    if (!m.has(a.categoryCode)) m.set(a.categoryCode, a.id);
    if (!m.has(a.categoryCode.slice(0, 2))) m.set(a.categoryCode.slice(0, 2), a.id);
  }
  return m;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Midnight in Shanghai of the day `daysAgo` before `now`, plus `minutes`. */
function shanghaiMoment(now: number, daysAgo: number, minutes: number): Date {
  const day = shanghaiDate(now - daysAgo * DAY_MS);
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + minutes * 60_000);
}

/**
 * The demo city's history: `count` orders over the last `days` days (never today, so the live
 * numbering of today is untouched), `repeatCallers` of the callers with 2–5 orders each.
 */
export function generateDemoHistory(opts: {
  now: number;
  areas: readonly AreaNode[];
  articles?: ReadonlyMap<string, string>;
  accounts?: readonly string[];
  count?: number;
  repeatCallers?: number;
  days?: number;
  seed?: number;
}): HistoryOrder[] {
  const rnd = prng(opts.seed ?? 12345);
  const count = opts.count ?? 400;
  const days = opts.days ?? 90;
  const accounts = opts.accounts ?? ['agent01', 'agent02'];
  const articles = opts.articles ?? new Map();
  const plan: { who: Person; daysAgo: number }[] = [];
  for (let i = 0; i < (opts.repeatCallers ?? 30); i++) {
    const who = person(rnd, opts.areas);
    const n = int(rnd, 2, 5);
    // The newest call of a repeat caller is recent for most of them (repeat-caller flags).
    let daysAgo = rnd() < 0.7 ? int(rnd, 1, 20) : int(rnd, 21, days - 20);
    for (let k = 0; k < n && plan.length < count; k++) {
      plan.push({ who, daysAgo });
      daysAgo = Math.min(days, daysAgo + int(rnd, 2, 20));
    }
  }
  while (plan.length < count) plan.push({ who: person(rnd, opts.areas), daysAgo: int(rnd, 1, days) });
  const repeatTemplate = new Map<string, Template>();
  return plan.map((p, i) => {
    // Repeat callers mostly call about the same matter again.
    const same = repeatTemplate.get(p.who.phone);
    const template = same && rnd() < 0.7 ? same : pick(rnd, TEMPLATES);
    if (!same) repeatTemplate.set(p.who.phone, template);
    const createdAt = shanghaiMoment(opts.now, p.daysAgo, int(rnd, 8 * 60, 21 * 60 + 30));
    // Open: most dispatched orders of the last four weeks (about 15 % of all).
    const open = p.daysAgo <= 28 && rnd() < 0.8;
    return buildOrder(rnd, `demo-${String(i + 1).padStart(4, '0')}`, p.who, template, createdAt, { open, confidential: rnd() < 0.06, account: pick(rnd, accounts), articles });
  });
}

export interface CallerHistorySpec {
  phone: string;
  name?: string;
  address?: { district: string; street: string; detail: string };
  /** Earlier orders, newest first, a week or so apart (default 3). */
  orders?: number;
  /** How many of them (the newest) are still open (default 1). */
  open?: number;
  /** Mark the oldest one confidential (default false). */
  confidential?: boolean;
  /** Days before today of the newest order (default 2). */
  newestDaysAgo?: number;
}

/** Orders for the given callers (see seedCallerHistory); deterministic per phone number. */
export function callerHistoryOrders(callers: readonly (string | CallerHistorySpec)[], opts: { now: number; account: string; areas?: readonly AreaNode[] }): HistoryOrder[] {
  const out: HistoryOrder[] = [];
  for (const c of callers) {
    const spec: CallerHistorySpec = typeof c === 'string' ? { phone: c } : c;
    const rnd = prng(Number.parseInt(crypto.createHash('sha256').update(spec.phone).digest('hex').slice(0, 8), 16));
    const base = person(rnd, opts.areas ?? DEFAULT_AREAS, spec.phone);
    const who: Person = { ...base, name: spec.name ?? base.name, address: spec.address ?? base.address };
    const n = spec.orders ?? 3;
    const open = spec.open ?? 1;
    const dispatched = TEMPLATES.filter((t) => t.disposition === 'dispatched');
    let daysAgo = spec.newestDaysAgo ?? 2;
    for (let k = 0; k < n; k++) {
      const createdAt = shanghaiMoment(opts.now, daysAgo, int(rnd, 9 * 60, 20 * 60));
      const confidential = !!spec.confidential && k === n - 1;
      out.push(buildOrder(rnd, `caller-${spec.phone}-${k + 1}-of-${n}`, who, pick(rnd, dispatched), createdAt, { open: k < open, confidential, account: opts.account, articles: new Map() }));
      daysAgo += int(rnd, 5, 12);
    }
  }
  return out;
}

/**
 * Write history orders for the organisation of their accounts, numbered `<prefix><day>9xxxxx`,
 * with deadlines from the database's policy and calendar, and their change-feed entries. Orders
 * whose id exists already are skipped. Returns the orders written.
 */
export async function insertHistory(
  db: Queryable,
  cipher: PersonalDataCipher,
  orders: readonly HistoryOrder[],
  opts: { cityPrefix?: string; policy?: DeadlinePolicy; calendar?: WorkCalendar } = {},
): Promise<{ id: string; orderNo: string }[]> {
  if (orders.length === 0) return [];
  const prefix = opts.cityPrefix ?? 'QY';
  const accounts = [...new Set(orders.map((o) => o.account))];
  const users = await db.query<{ account: string; id: string; org_code: string }>('select account, id, org_code from users where account = any($1::text[])', [accounts]);
  const byAccount = new Map(users.rows.map((u) => [u.account, u]));
  for (const a of accounts) if (!byAccount.has(a)) throw new Error(`history: no account ${a}`);
  const policy = opts.policy ?? (await getDeadlinePolicy(db));
  const calendar = opts.calendar ?? (await loadWorkCalendar(db));
  // Numbers per day above the live range; continue after any history already numbered that day.
  const used = await db.query<{ day: string; n: number }>(
    `select substr(order_no, ${prefix.length + 1}, 8) as day, max(substr(order_no, ${prefix.length + 9})::int) as n
     from orders where order_no ~ $1 group by 1`,
    [`^${prefix}\\d{8}9\\d{5}$`],
  );
  const next = new Map(used.rows.map((r) => [r.day, Number(r.n)]));
  const sorted = [...orders].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const rows = sorted.map((o) => {
    const day = shanghaiDate(o.createdAt.getTime());
    const compact = day.replace(/-/g, '');
    const n = (next.get(compact) ?? 900_000) + 1;
    next.set(compact, n);
    const cols = inputColumns(o.input, cipher);
    const due = o.input.disposition === 'dispatched' ? deadlineFor(policy, calendar, o.input, day) : undefined;
    const actions = actionsTo(o.status, o.input.disposition);
    const times = actions.map((_, i) => new Date(o.createdAt.getTime() + (i === 0 ? 0 : i === 1 ? 1000 : (i - 1) * 2 * DAY_MS)));
    const submitted = o.input.disposition === 'dispatched' ? 'dispatched' : o.input.disposition === 'transferred' ? 'transferred' : 'closed';
    return { o, id: keyedUuid(o.key), orderNo: `${prefix}${compact}${n}`, cols, due, actions, times, statuses: actions.map((a) => STATUS_AFTER[a](submitted)), user: byAccount.get(o.account)! };
  });
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  const changes = rows.flatMap((r) => r.actions.map((action, i) => ({ id: r.id, action, status: r.statuses[i]!, at: r.times[i]!.toISOString() })));
  const r = await db.query<{ id: string; order_no: string }>(
    `with i as (
       select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::int[], $8::timestamptz[], $9::timestamptz[],
         $10::text[], $11::text[], $12::text[], $13::text[], $14::boolean[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[],
         $22::text[], $23::text[], $24::jsonb[], $25::text[], $26::text[], $27::text[], $28::jsonb[], $29::date[], $30::boolean[], $31::int[], $32::int[], $33::jsonb[], $34::text[])
         as t(id, order_no, client_order_id, org_code, created_by, status, version, created_at, updated_at,
           channel, request_type, category_code, urgency, confidential, title, content_enc, summary_enc, caller_enc, caller_phone_bidx, address_enc, address_bidx,
           disposition, knowledge_article_id, co_units, handling_unit, transfer_target, emergency_line, call_info, deadline, deadline_uncertain, return_count, extension_days, callback, not_accepted_reason)
     ), o as (
       insert into orders (id, order_no, client_order_id, org_code, created_by, status, version, created_at, updated_at,
         channel, request_type, category_code, urgency, confidential, title, content_enc, summary_enc, caller_enc, caller_phone_bidx, address_enc, address_bidx,
         disposition, knowledge_article_id, co_units, handling_unit, transfer_target, emergency_line, not_accepted_reason, call_info, deadline, deadline_uncertain,
         return_count, extension_days, callback)
       select i.id, i.order_no, i.client_order_id, i.org_code, i.created_by, i.status, i.version, i.created_at, i.updated_at,
         i.channel, i.request_type, i.category_code, i.urgency, i.confidential, i.title, i.content_enc, i.summary_enc, i.caller_enc, i.caller_phone_bidx, i.address_enc, i.address_bidx,
         i.disposition, i.knowledge_article_id, array(select jsonb_array_elements_text(i.co_units)), i.handling_unit, i.transfer_target, i.emergency_line, i.not_accepted_reason, i.call_info,
         i.deadline, i.deadline_uncertain, i.return_count, i.extension_days, i.callback
       from i
       on conflict do nothing
       returning id, order_no, org_code, transfer_target
     ), ch as (
       insert into order_changes (order_id, order_no, action, status, org_code, transfer_target, at)
       select o.id, o.order_no, c.action, c.status, o.org_code, o.transfer_target, c.at
       from o join unnest($35::uuid[], $36::text[], $37::text[], $38::timestamptz[]) with ordinality as c(order_id, action, status, at, pos) on c.order_id = o.id
       order by c.at, c.pos
     )
     select id, order_no from o`,
    [
      col((x) => x.id),
      col((x) => x.orderNo),
      col((x) => keyedUuid(`client:${x.o.key}`)),
      col((x) => x.user.org_code),
      col((x) => x.user.id),
      col((x) => x.o.status),
      col((x) => x.actions.length),
      col((x) => x.o.createdAt.toISOString()),
      col((x) => x.times.at(-1)!.toISOString()),
      col((x) => x.cols.channel),
      col((x) => x.cols.request_type),
      col((x) => x.cols.category_code),
      col((x) => x.cols.urgency),
      col((x) => x.cols.confidential),
      col((x) => x.cols.title),
      col((x) => x.cols.content_enc),
      col((x) => x.cols.summary_enc),
      col((x) => x.cols.caller_enc),
      col((x) => x.cols.caller_phone_bidx),
      col((x) => x.cols.address_enc),
      col((x) => x.cols.address_bidx),
      col((x) => x.cols.disposition),
      col((x) => x.cols.knowledge_article_id),
      col((x) => JSON.stringify(x.cols.co_units)),
      col((x) => x.cols.handling_unit),
      col((x) => x.cols.transfer_target),
      col((x) => x.cols.emergency_line),
      col((x) => x.cols.call_info),
      col((x) => x.due?.date ?? null),
      col((x) => (x.due ? !x.due.certain : false)),
      col((x) => x.o.returnCount),
      col((x) => x.o.extensionDays),
      col((x) => (x.o.callback ? JSON.stringify(x.o.callback) : null)),
      col((x) => x.cols.not_accepted_reason),
      changes.map((c) => c.id),
      changes.map((c) => c.action),
      changes.map((c) => c.status),
      changes.map((c) => c.at),
    ],
  );
  return r.rows.map((x) => ({ id: x.id, orderNo: x.order_no }));
}

/**
 * For tests (e2e included): give callers an order history, so the screen-pop has something to show.
 * Each caller gets `orders` earlier orders (default 3: the newest open, two days ago; the others
 * closed a week or more apart), dispatched to handling units, created by `account` (default
 * agent01) in that account's organisation. Deterministic per phone; calling it again with the same
 * phones adds nothing. Example, after startPlatformServer():
 *
 *   await seedCallerHistory(running.platform.services.db, running.platform.services.cipher, ['13800138000', { phone: '13900139000', orders: 5, open: 2, confidential: true }]);
 */
export async function seedCallerHistory(
  db: Queryable,
  cipher: PersonalDataCipher,
  callers: readonly (string | CallerHistorySpec)[],
  opts: { account?: string; now?: number; areas?: readonly AreaNode[] } = {},
): Promise<{ id: string; orderNo: string }[]> {
  const orders = callerHistoryOrders(callers, { now: opts.now ?? Date.now(), account: opts.account ?? 'agent01', areas: opts.areas });
  return insertHistory(db, cipher, orders);
}
