// Chinese/English names, units and bounds of the scoring template's parameters (schemas/scoring-template.schema.json)
// and of the authenticity rules, so the editor shows words and units instead of keys.
export interface ParamLabel {
  key: string; zh: string; en: string; unitZh: string; unitEn: string; min: number; max: number; step?: number;
  helpZh: string; helpEn: string;
}

/** The authenticity block's scalar parameters, in the order a manager thinks about them. */
export const AUTHENTICITY_PARAMS: ParamLabel[] = [
  { key: 'fenceRadiusM', zh: '电子围栏半径', en: 'Fence radius', unitZh: '米', unitEn: 'm', min: 30, max: 5000, helpZh: '签到位置离门店超过此距离判为不在店', helpEn: 'Check-ins farther from the store count as outside' },
  { key: 'polygonMarginM', zh: '多边形围栏容差', en: 'Polygon margin', unitZh: '米', unitEn: 'm', min: 0, max: 1000, helpZh: '画了门店轮廓时，轮廓外允许的偏差', helpEn: 'Tolerance outside a drawn store outline' },
  { key: 'accuracyCapM', zh: '定位精度上限', en: 'Accuracy cap', unitZh: '米', unitEn: 'm', min: 0, max: 1000, helpZh: '精度差于此值的定位不计入', helpEn: 'Fixes less accurate than this are ignored' },
  { key: 'reportDeadlineHours', zh: '填报时限', en: 'Report deadline', unitZh: '小时', unitEn: 'h', min: 1, max: 240, helpZh: '离店后须在此时间内提交', helpEn: 'Submit within this time after check-out' },
  { key: 'travelSpeedSoftKmh', zh: '移动速度预警', en: 'Travel speed (warning)', unitZh: '公里/小时', unitEn: 'km/h', min: 30, max: 1000, helpZh: '两次拜访之间的速度超过此值扣分', helpEn: 'Faster travel between visits is penalised' },
  { key: 'travelSpeedHardKmh', zh: '移动速度上限', en: 'Travel speed (impossible)', unitZh: '公里/小时', unitEn: 'km/h', min: 30, max: 2000, helpZh: '超过此速度视为不可能到达', helpEn: 'Above this the trip is impossible' },
  { key: 'travelMinDistanceKm', zh: '速度检查最小距离', en: 'Min distance for speed', unitZh: '公里', unitEn: 'km', min: 0, max: 100, step: 0.5, helpZh: '两店距离小于此值不检查速度', helpEn: 'Shorter hops are not speed-checked' },
  { key: 'travelWindowHours', zh: '速度检查时间窗', en: 'Travel window', unitZh: '小时', unitEn: 'h', min: 0, max: 72, helpZh: '本次签到前后此时间内的每次拜访都检查移动速度', helpEn: 'Every visit checked in this many hours around this one is speed-checked' },
  { key: 'photoHashMaxDistance', zh: '照片相似度阈值', en: 'Photo similarity', unitZh: '位', unitEn: 'bits', min: 0, max: 32, helpZh: '感知哈希差异不超过此值视为同一画面（越小越严格）', helpEn: 'Hash distance at or below which two photos are the same scene' },
  { key: 'photoHashTightDistance', zh: '同图判定阈值', en: 'Same-picture distance', unitZh: '位', unitEn: 'bits', min: 0, max: 32, helpZh: '旧照片无缩略图、只能比哈希时，不超过此值视为疑似同一张照片', helpEn: 'Hashes only (no thumbnail): at or below, a likely copy' },
  { key: 'photoMinDetail', zh: '照片最低信息量', en: 'Photo min detail', unitZh: '灰度', unitEn: 'grey levels', min: 0, max: 128, helpZh: '画面灰度标准差低于此值（夜景、纯色墙面）时哈希相近只记录不扣分', helpEn: 'Below this (night, blank wall) a hash match is only a note' },
  { key: 'photoCopySimilarity', zh: '同图像素相似度', en: 'Copy pixel similarity', unitZh: '', unitEn: '', min: 0.5, max: 1, step: 0.005, helpZh: '对齐后像素相关度不低于此值且几乎无变化，视为同一张照片再次提交', helpEn: 'Aligned pixels this similar (and unchanged): the same picture again' },
  { key: 'photoCopyMaxChanged', zh: '同图允许变化比例', en: 'Copy max changed share', unitZh: '', unitEn: '', min: 0, max: 0.5, step: 0.001, helpZh: '重新拍摄总有人、物或光线变化；变化比例不超过此值视为同一张照片', helpEn: 'A new shot always changes something; at or below this share: a copy' },
  { key: 'exifMaxAgeHours', zh: '照片拍摄时间最大间隔', en: 'Photo max age', unitZh: '小时', unitEn: 'h', min: 0, max: 720, helpZh: '拍摄时间早于拜访超过此值视为旧照片', helpEn: 'Photos taken earlier than this count as old' },
  { key: 'exifMaxDistanceM', zh: '照片拍摄地点最大距离', en: 'Photo max distance', unitZh: '米', unitEn: 'm', min: 0, max: 100000, helpZh: '拍摄地点离门店超过此值视为非现场', helpEn: 'Photos taken farther away count as elsewhere' },
  { key: 'frozenFixMaxAccuracyM', zh: '定位冻结精度', en: 'Frozen fix accuracy', unitZh: '米', unitEn: 'm', min: 0, max: 200, helpZh: '精度优于此值且坐标完全不变视为冻结', helpEn: 'Identical fixes this accurate look frozen' },
  { key: 'frozenFixMinCount', zh: '定位冻结点数', en: 'Frozen fix count', unitZh: '个', unitEn: 'fixes', min: 2, max: 20, helpZh: '连续相同定位达到此数量', helpEn: 'Identical fixes in a row' },
  { key: 'frozenMinSpanSeconds', zh: '定位冻结最短跨度', en: 'Frozen min span', unitZh: '秒', unitEn: 's', min: 0, max: 600, helpZh: '相同定位持续超过此时长才算冻结', helpEn: 'Only a longer burst counts as frozen' },
  { key: 'exactStorePointM', zh: '与门店坐标重合距离', en: 'Exact store point', unitZh: '米', unitEn: 'm', min: 0, max: 20, step: 0.5, helpZh: '定位与门店坐标几乎重合，疑似虚拟定位', helpEn: 'Fixes this close to the stored point look mocked' },
  { key: 'clockSkewMinutes', zh: '手机时间偏差容忍', en: 'Clock skew', unitZh: '分钟', unitEn: 'min', min: 1, max: 1440, helpZh: '手机时间与服务器相差超过此值扣分', helpEn: 'Phone clock further off is penalised' },
  { key: 'proxyDeviceWindowHours', zh: '代打卡设备窗口', en: 'Proxy device window', unitZh: '小时', unitEn: 'h', min: 0, max: 72, helpZh: '同一设备在此时间内被不同业务员使用', helpEn: 'One device used by two reps within this time' },
  { key: 'proxyFixWindowMinutes', zh: '代打卡定位窗口', en: 'Proxy fix window', unitZh: '分钟', unitEn: 'min', min: 0, max: 240, helpZh: '两人同时同地签到的时间窗', helpEn: 'Two reps at one spot within this time' },
  { key: 'deviceOwnerLookbackDays', zh: '手机归属统计天数', en: 'Phone owner look-back', unitZh: '天', unitEn: 'days', min: 1, max: 365, helpZh: '未登记手机归属时，按此天数内谁用这部手机拜访最多判定归属', helpEn: 'Without a sign-in record, the phone belongs to its most frequent user over these days' },
  { key: 'deviceOwnerMinVisits', zh: '手机归属最少拜访数', en: 'Phone owner min visits', unitZh: '次', unitEn: 'visits', min: 1, max: 1000, helpZh: '用这部手机拜访至少此次数（且为第二名的两倍）才算手机主人', helpEn: 'Visits on the phone (and twice the runner-up\'s) to count as its owner' },
  { key: 'sameContactMonths', zh: '同一联系人连续月数', en: 'Same-contact months', unitZh: '个月', unitEn: 'months', min: 2, max: 12, helpZh: '连续只拜访同一联系人达到此月数判无效', helpEn: 'Months in a row meeting only one contact' },
  { key: 'hardCapScore', zh: '严重违规封顶分', en: 'Hard-failure cap', unitZh: '分', unitEn: 'pts', min: 0, max: 100, helpZh: '虚拟定位、伪造二维码等严重违规时单次拜访最高得分', helpEn: 'Highest visit score after a hard failure' },
];

export const RULE_NAMES: Record<string, [string, string]> = {
  OUTSIDE_FENCE: ['不在电子围栏内', 'Outside the fence'],
  FROZEN_POINT: ['定位冻结', 'Frozen location'],
  EXACT_STORE_POINT: ['坐标与门店完全重合', 'Exactly on the store point'],
  COORDINATES_REPLAYED: ['坐标重放', 'Coordinates replayed'],
  IMPOSSIBLE_TRAVEL: ['不可能的移动速度', 'Impossible travel'],
  HOST_MOCK_FLAG: ['虚拟定位', 'Mock location'],
  PHOTO_SAME_FILE: ['同一照片文件', 'Same photo file'],
  PHOTO_REUSED: ['照片重复使用', 'Photo re-used'],
  PHOTO_OLD_OR_ELSEWHERE: ['照片过旧或非现场', 'Old or elsewhere photo'],
  PHOTO_NOT_CAMERA: ['非相机拍摄', 'Not from the camera'],
  PROXY_CHECK_IN: ['疑似代打卡', 'Proxy check-in'],
  STAY_TOO_SHORT: ['停留时间不足', 'Stay too short'],
  LATE_REPORT: ['超时填报', 'Late report'],
  CLOCK_SKEW: ['手机时间异常', 'Clock skew'],
  SAME_CONTACT: ['连续拜访同一联系人', 'Same contact'],
  QR_INVALID: ['二维码无效', 'Invalid QR code'],
};

export const CLASSES = ['A', 'B', 'C', 'D'] as const;

export const BAND_ZH: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
export const BAND_EN: Record<string, string> = { green: 'Green', yellow: 'Yellow', red: 'Red' };

/** Sum of weights, rounded like the server's check (scoring-check.ts) so 33.3 + 33.3 + 33.4 is 100. */
export const weightSum = (xs: { weight: number }[]) => Math.round(xs.reduce((a, x) => a + (Number(x.weight) || 0), 0) * 1000) / 1000;
