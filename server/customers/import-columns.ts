// The columns of the customer import sheet: one list drives the template, the header check and error reports.
export type ColumnKey =
  | 'code' | 'name' | 'address' | 'type' | 'class' | 'lng' | 'lat' | 'system'
  | 'contactName' | 'contactRole' | 'contactPhone' | 'contactIsKey' | 'fenceRadiusM' | 'repUsername';

export interface ImportColumn {
  key: ColumnKey;
  header: string;
  required: boolean;
  /** Width in characters in the xlsx template. */
  width: number;
  help: string;
  example: string;
}

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'code', header: '客户编码', required: true, width: 14, help: '每个客户唯一；再次导入同一编码会更新该客户，不会重复新建', example: 'KH0001' },
  { key: 'name', header: '客户名称', required: true, width: 28, help: '最多 60 字', example: '仁和大药房（中山路店）' },
  { key: 'address', header: '地址', required: true, width: 40, help: '最多 200 字', example: '南京市鼓楼区中山路 100 号' },
  { key: 'type', header: '客户类型', required: true, width: 12, help: '药店、诊所、医院、商超、便利店、集团客户、经销商、其他，或自定义（最多 30 字）', example: '药店' },
  { key: 'class', header: '客户等级', required: true, width: 10, help: 'A、B、C 或 D；A/B 类客户应至少登记 3 位联系人', example: 'A' },
  { key: 'lng', header: '经度', required: true, width: 13, help: '例如 118.78；注意不要与纬度填反', example: '118.7781' },
  { key: 'lat', header: '纬度', required: true, width: 13, help: '例如 32.06', example: '32.0617' },
  { key: 'system', header: '坐标系', required: false, width: 10, help: 'GCJ02（高德/腾讯地图，默认）、BD09（百度地图）或 WGS84（GPS）', example: 'GCJ02' },
  { key: 'contactName', header: '联系人', required: false, width: 12, help: '一行一位联系人；同一客户的多位联系人可写多行（客户编码相同）', example: '李明' },
  { key: 'contactRole', header: '职务', required: false, width: 12, help: '例如 店长、采购', example: '店长' },
  { key: 'contactPhone', header: '电话', required: false, width: 16, help: '手机号，或带区号的座机号（如 025-84561234）', example: '13800138000' },
  { key: 'contactIsKey', header: '关键人', required: false, width: 8, help: '是 / 否，默认否', example: '是' },
  { key: 'fenceRadiusM', header: '围栏半径(米)', required: false, width: 13, help: '30–5000 的整数；留空使用系统默认', example: '200' },
  { key: 'repUsername', header: '负责人账号', required: false, width: 14, help: '业务员的登录账号；填写后把客户分配给该业务员', example: '' },
];

/** "客户编码*" or " 客户编码 " in a user's sheet still means 客户编码. */
export function normaliseHeader(text: string): string {
  return text.replace(/[\s*＊]/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

export function columnByHeader(): Map<string, ImportColumn> {
  return new Map(IMPORT_COLUMNS.map((c) => [normaliseHeader(c.header), c]));
}

export function headerOf(key: ColumnKey): string {
  return IMPORT_COLUMNS.find((c) => c.key === key)?.header ?? key;
}
